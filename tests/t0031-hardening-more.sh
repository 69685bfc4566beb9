#!/usr/bin/env bash
# More hardening (issue 17): a live compare, run or stat that measured
# nothing of a command (every run timed out) says so in one error line
# and keeps its runs; tune's state file is never written through a
# symlink planted under --root; CPU lists are bounded.
. "$(dirname "$0")/lib.sh"

test_expect_success 'live compare -i: a side whose runs all timed out is one error naming it, exit 1, no UNRESOLVED verdict, the runs saved' '
	test_expect_code 1 steady compare -i --timeout 0.1 --max-runs 4 -o c.json -- \
		"$HELPER sleep 0" "$HELPER sleep 30000" >out 2>err &&
	test_one_error_line err &&
	grep "nothing to compare: side B (.*sleep 30000.) has no measured runs (its 4 runs all timed out)" err &&
	! grep -i "verdict\|UNRESOLVED" out &&
	test $(json_values timed_out c.json | grep -c true) = 4 &&
	test_expect_code 1 steady compare -i --timeout 0.1 --max-runs 3 -- \
		"$HELPER sleep 30000" "$HELPER sleep 0" >out 2>err &&
	test_one_error_line err && grep "nothing to compare: side A (.*sleep 30000.)" err
'

test_expect_success 'live compare without -i: the timed-out run is the one error line, exit 1, no UNRESOLVED verdict' '
	test_expect_code 1 steady compare --timeout 0.1 -o c.json -- \
		"$HELPER sleep 30000" "$HELPER sleep 0" >out 2>err &&
	test_one_error_line err && grep "timed out after 0.1 s in measured run 1" err &&
	! grep -i "verdict\|UNRESOLVED" out &&
	test "$(json_values stop_reason c.json | sort -u)" = failed
'

test_expect_success 'live compare of three: the rows measured keep their verdicts, the command with none is one error naming it' '
	test_expect_code 1 steady compare -i --timeout 0.1 --max-runs 4 -o c.json -- \
		"$HELPER sleep 0" "$HELPER sleep 1" "$HELPER sleep 30000" >out 2>err &&
	test_one_error_line err &&
	grep "nothing to compare: command 3 (.*sleep 30000.) has no measured runs" err &&
	grep "^2 .* sleep 1$" out && grep "timed-out runs are left out" out &&
	test $(json_values timed_out c.json | grep -c true) = 4 &&
	test_expect_code 1 steady compare -i --timeout 0.1 --max-runs 3 --baseline 2 -- \
		"$HELPER sleep 0" "$HELPER sleep 30000" "$HELPER sleep 1" >out 2>err &&
	test_one_error_line err && grep "command 2, the baseline, (.*sleep 30000.)" err
'

test_expect_success 'run and stat -i: every run timed out is one error line naming the command, exit 1, the runs saved' '
	for cmd in run stat; do
		test_expect_code 1 steady $cmd -i -n 3 --timeout 0.1 -o r.json -- \
			"$HELPER" sleep 30000 >out 2>err &&
		test_one_error_line err &&
		grep "no measured runs of .*sleep 30000.: all its 3 runs timed out (--timeout 0.1 s)" err &&
		test $(json_values timed_out r.json | grep -c true) = 3 || return 1
	done &&
	test_expect_code 1 steady run -i -n 2 --timeout 0.1 "$HELPER sleep 30000" "$HELPER sleep 0" >out 2>err &&
	test_one_error_line err && grep "sleep 30000.: no measured runs$" out && ! grep nan out &&
	steady run -i -n 2 --timeout 5 -- "$HELPER" sleep 0 >out 2>err && test ! -s err
'

test_done
