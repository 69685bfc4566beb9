#!/usr/bin/env bash
# steady run and stat: Ctrl-C or SIGTERM stops the child, saves and
# summarises the runs measured so far, and exits 130.
. "$(dirname "$0")/lib.sh"

for sig in INT TERM; do
test_expect_success "SIG$sig saves the measured runs, cleans up and exits 130" '
	(steady_exec run -n 100000 -o r.json --cleanup "$HELPER append cleanup.log" \
		-- "$HELPER" append ran.log sleep 20 >out 2>err) &
	pid=$! &&
	wait_until 20 has_lines ran.log 4 &&
	stop_and_wait '$sig' $pid;
	test "$rc" = 130 &&
	test "$(json_values stop_reason r.json)" = interrupted &&
	n=$(json_values wall_ns r.json | wc -l) &&
	[ "$n" -ge 3 ] &&
	grep "Benchmark:" out && grep "Warning: interrupted after" out &&
	test $(wc -l <cleanup.log) = 1 &&
	no_temp_files .
'
done

test_expect_success 'an interrupt during a long run kills its process group at once' '
	(steady_exec run -n 5 -o r.json -- "$HELPER" append ran.log grandchild 60000 gc.pid sleep 60000 >out 2>err) &
	pid=$! &&
	wait_until 20 has_lines ran.log 1 && wait_until 20 test -s gc.pid &&
	stop_and_wait INT $pid;
	test "$rc" = 130 &&
	wait_until 5 process_gone "$(cat gc.pid)" &&
	test "$(json_values stop_reason r.json)" = interrupted
'

test_expect_success 'compare: an interrupt mid-round keeps the pairs of the rounds completed' '
	(steady_exec compare --max-time 600 --margin 0.001 -o c.json -- "$HELPER append a.log sleep 30" \
		"$HELPER append b.log sleep 60" >out 2>err) &
	pid=$! &&
	wait_until 20 has_lines b.log 4 &&
	stop_and_wait INT $pid;
	test "$rc" = 130 &&
	grep "paired by round" out &&
	grep "final look (1) at the interruption" out
'

test_expect_success 'stat: SIGINT saves the counted runs and exits 130' '
	(steady_exec stat -n 100000 -e page-faults -o s.json \
		-- "$HELPER" append ran.log sleep 20 >out 2>err) &
	pid=$! &&
	wait_until 20 has_lines ran.log 4 &&
	stop_and_wait INT $pid;
	test "$rc" = 130 &&
	test "$(json_values stop_reason s.json)" = interrupted &&
	n=$(json_counts page-faults status s.json | wc -l) && [ "$n" -ge 3 ] &&
	grep "Performance counters for" out && grep "Warning: interrupted after" out &&
	no_temp_files .
'

test_expect_success 'stat: an interrupt kills the counted run'"'"'s process group at once' '
	(steady_exec stat -n 5 -e page-faults -o s.json \
		-- "$HELPER" append ran.log grandchild 60000 gc.pid sleep 60000 >out 2>err) &
	pid=$! &&
	wait_until 20 has_lines ran.log 1 && wait_until 20 test -s gc.pid &&
	stop_and_wait INT $pid;
	test "$rc" = 130 &&
	wait_until 5 process_gone "$(cat gc.pid)" &&
	test "$(json_values stop_reason s.json)" = interrupted
'

test_done
