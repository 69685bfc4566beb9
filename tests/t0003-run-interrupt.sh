#!/usr/bin/env bash
# steady run and stat: Ctrl-C or SIGTERM stops the child, saves and
# summarises the runs measured so far, and exits 130.
. "$(dirname "$0")/lib.sh"

# wait_lines FILE N: wait (up to 20 s) until FILE has at least N lines.
wait_lines() {
	for _ in $(seq 200); do
		[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	echo "timed out waiting for $2 lines in $1"
	return 1
}

# wait_file FILE: wait (up to 20 s) until FILE is not empty.
wait_file() {
	for _ in $(seq 200); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	echo "timed out waiting for $1"
	return 1
}

# stop_and_wait SIG PID: signal PID, then give it 20 s to exit (so a steady
# that ignores the signal fails the test instead of hanging it); prints the
# exit status in $rc (no command substitution: only this shell can wait).
stop_and_wait() {
	kill -"$1" "$2"
	for _ in $(seq 200); do
		kill -0 "$2" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$2" 2>/dev/null; then
		kill -9 "$2"
		echo "still running 20 s after SIG$1" >&2
	fi
	wait "$2"
	rc=$?
}

for sig in INT TERM; do
test_expect_success "SIG$sig saves the measured runs, cleans up and exits 130" '
	(steady_exec run -n 100000 -o r.json --cleanup "$HELPER append cleanup.log" \
		-- "$HELPER" append ran.log sleep 20 >out 2>err) &
	pid=$! &&
	wait_lines ran.log 4 &&
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
	wait_lines ran.log 1 && wait_file gc.pid &&
	stop_and_wait INT $pid;
	test "$rc" = 130 &&
	process_gone "$(cat gc.pid)" &&
	test "$(json_values stop_reason r.json)" = interrupted
'

test_expect_success 'compare: an interrupt mid-round keeps the pairs of the rounds completed' '
	(steady_exec compare --max-time 600 --margin 0.001 -o c.json -- "$HELPER append a.log sleep 30" \
		"$HELPER append b.log sleep 60" >out 2>err) &
	pid=$! &&
	wait_lines b.log 4 &&
	stop_and_wait INT $pid;
	test "$rc" = 130 &&
	grep "paired by round" out &&
	grep "final look (1) at the interruption" out
'

test_expect_success 'stat: SIGINT saves the counted runs and exits 130' '
	(steady_exec stat -n 100000 -e page-faults -o s.json \
		-- "$HELPER" append ran.log sleep 20 >out 2>err) &
	pid=$! &&
	wait_lines ran.log 4 &&
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
	wait_lines ran.log 1 && wait_file gc.pid &&
	stop_and_wait INT $pid;
	test "$rc" = 130 &&
	process_gone "$(cat gc.pid)" &&
	test "$(json_values stop_reason s.json)" = interrupted
'

test_done
