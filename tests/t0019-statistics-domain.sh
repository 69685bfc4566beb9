#!/usr/bin/env bash
# Statistics that respect their domain: intervals of times and counts never
# below 0, one run has no spread (n/a, null in JSON), a count of 0 has no
# ratio, and no table prints nan or inf. Each bad output seen on main
# (issue 12) is a test here.
. "$(dirname "$0")/lib.sh"

# 1 when steady list says EVENT can be counted on this machine.
event_supported() {
	steady list --json | tr -d ' \n' | grep -q "\"name\":\"$1\",[^}]*\"supported\":true"
}

# no_negative_bound FILE: no "[lo, hi]" interval in FILE has a bound below 0.
no_negative_bound() {
	if grep -E "\[ *-[0-9]|, *-[0-9]" "$1"; then
		echo "a negative bound above"
		return 1
	fi
}

# A shell command whose runs alternate: the first quick, the second 50 ms
# (a flag file in the scratch directory says which is next). Two runs of
# it are as unlike as two runs get.
FLIP='if [ -e flag ]; then rm flag; sleep 0.05; else touch flag; fi'

test_expect_success 'run -n 2 of two unlike runs: the mean interval stays above 0' '
	steady run -n 2 -w 0 --shell -o r.json -- "$FLIP" >out &&
	grep "95% CI: *mean \[[0-9.e+-]*, [0-9.e+]*\] ms" out &&
	no_negative_bound out &&
	grep "\"mean_ci95\": \[" r.json >ci &&
	test_count_is 1 cat ci &&
	tr -d "[]," <ci | awk "{ exit !(\$2 + 0 > 0 && \$3 + 0 > \$2 + 0) }"
'

test_expect_success 'run -n 2 -i -- false (issue 12): no negative bound' '
	steady run -n 2 -i -- false >out &&
	grep "95% CI: *mean \[" out &&
	no_negative_bound out
'

test_expect_success 'one run has no spread: n/a for σ, MAD and the mean interval' '
	steady run -n 1 -o one.json -- "$HELPER" sleep 1 >out &&
	grep "Time (mean ± σ): .* ms ± n/a " out &&
	grep "Median (± MAD): .* ms ± n/a " out &&
	grep "95% CI: *mean n/a (too few runs)" out &&
	! grep "± 0.000" out &&
	! grep -i "nan\|inf" out
'

test_expect_success 'one run in the results file: stddev, mad and mean_ci95 are null' '
	steady run -n 1 -o one.json -- "$HELPER" sleep 1 >/dev/null &&
	test "$(json_values stddev one.json)" = null &&
	test "$(json_values mad one.json)" = null &&
	test "$(json_values mean_ci95 one.json)" = null &&
	test "$(json_values n one.json)" = 1
'

test_expect_success 'compare -n 1: each side has no spread (n/a), no interval' '
	steady compare -n 1 -- "$HELPER sleep 1" "$HELPER sleep 2" >out &&
	test $(grep -c "^  [AB]  .* ± n/a   median " out) = 2 &&
	grep "95% CI \[n/a, n/a\]" out &&
	! grep -i "nan\|inf" out
'

if event_supported task-clock && event_supported context-switches; then
	test_expect_success 'stat -n 3 -- /bin/true (issue 12): no interval below 0' '
		steady stat -n 3 -- /bin/true >out &&
		grep "context-switches" out &&
		grep "wall time .* 95% CI \[" out &&
		no_negative_bound out
	'

	test_expect_success 'stat: counts with zeros get an interval within [0, max]' '
		steady stat -n 5 -e context-switches,task-clock -o s.json -- "$HELPER" sleep 1 >out &&
		no_negative_bound out &&
		json_counts context-switches value s.json >cs &&
		test_count_is 5 cat cs &&
		if grep -q "^0$" cs; then
			max=$(sort -n cs | tail -1) &&
			line=$(grep " context-switches " out) &&
			hi=$(echo "$line" | sed -n "s/.*95% CI \[[0-9.]*, \([0-9.]*\)\].*/\1/p") &&
			if [ -n "$hi" ]; then
				awk -v hi="$hi" -v max="$max" "BEGIN { exit !(hi <= max) }"
			fi
		fi
	'

	test_expect_success 'stat -n 1: ± and the interval are n/a' '
		steady stat -n 1 -e task-clock,context-switches -- "$HELPER" sleep 1 >out &&
		test $(grep -c "( ±   n/a  )" out) -ge 3 &&
		! grep "95% CI" out &&
		! grep -i "nan\|inf" out
	'

	test_expect_success 'stat --vs: a count of 0 in A has no ratio (n/a), never nan or inf' '
		steady stat -n 3 -e cpu-migrations,context-switches,page-faults --vs "$HELPER sleep 0" \
			-- "$HELPER" sleep 5 >out &&
		no_negative_bound out &&
		! grep -i "nan\|inf" out &&
		grep "^  page-faults .*x  \[" out &&
		awk "/^  (cpu-migrations|context-switches) / && \$2 == \"0.00\" && !/ n\\/a  .* n\\/a \\(zero counts\\)/ { bad = 1; print } END { exit bad }" out
	'
else
	test_skip 'stat: intervals of counts (issue 12)' 'perf_event_open cannot count task-clock and context-switches here'
fi

test_done
