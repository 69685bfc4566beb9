#!/usr/bin/env bash
# steady run: Ctrl-C or SIGTERM stops the child, saves and summarises the
# runs measured so far, and exits 130.
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

for sig in INT TERM; do
test_expect_success "SIG$sig saves the measured runs and exits 130" '
	steady run -n 100000 -o r.json -- "$HELPER" append ran.log sleep 20 >out 2>err &
	pid=$! &&
	wait_lines ran.log 4 &&
	kill -'$sig' $pid;
	wait $pid; rc=$?
	test $rc = 130 &&
	test "$(json_values stop_reason r.json)" = interrupted &&
	n=$(json_values wall_ns r.json | wc -l) &&
	[ "$n" -ge 3 ] &&
	grep "Benchmark:" out && grep "Warning: interrupted after" out &&
	no_temp_files .
'
done

test_expect_success 'an interrupt during a long run kills its process group at once' '
	steady run -n 5 -o r.json -- "$HELPER" append ran.log grandchild 60000 gc.pid sleep 60000 >out 2>err &
	pid=$! &&
	wait_lines ran.log 1 && wait_file gc.pid &&
	kill -INT $pid;
	wait $pid; rc=$?
	test $rc = 130 &&
	sleep 0.2 && ! kill -0 "$(cat gc.pid)" 2>/dev/null &&
	test "$(json_values stop_reason r.json)" = interrupted
'

test_done
