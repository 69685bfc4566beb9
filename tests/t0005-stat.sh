#!/usr/bin/env bash
# steady stat, steady list and --metric: perf_event_open counters per run
# (software events here: the VMs have no PMU), the unsupported path of
# hardware events, counts saved and compared, and valgrind-ir.
. "$(dirname "$0")/lib.sh"

# 1 when steady list says EVENT can be counted on this machine.
event_supported() {
	steady list --json | tr -d ' \n' | grep -q "\"name\":\"$1\",[^}]*\"supported\":true"
}

test_expect_success 'list: groups and a probe result for every event' '
	steady list >out &&
	grep "^Hardware events:" out && grep "^Software events:" out &&
	grep "^Hardware cache events:" out &&
	grep "^  task-clock  *supported$" out &&
	grep "^  L1-icache-load-misses  *\(supported\|not supported: .*\)$" out &&
	grep "^  cycles OR cpu-cycles  *\(supported\|not supported: .*\)$" out &&
	grep "^[0-9]* of [0-9]* events can be counted here\.$" out
'

test_expect_success 'list --json: one object per event with its probe' '
	steady list --json >j &&
	test $(grep -c "\"supported\": \(true\|false\)" j) = $(grep -c "^  [A-Za-z]" <(steady list | grep "supported")) &&
	event_supported task-clock
'

test_expect_success 'stat: N pages allocated give at least N page faults, per run, saved' '
	steady stat -n 5 -e page-faults,task-clock,context-switches,cpu-migrations -o s.json \
		-- "$HELPER" alloc 40960000 >out &&
	grep "Performance counters for .* (5 runs, env-randomised):" out &&
	grep "^ *[0-9,.]* msec   task-clock " out &&
	grep "^ *[0-9,.]*   page-faults  *( ± *[0-9.]*% )   95% CI \[" out &&
	grep "CPUs utilized" out &&
	grep "\"counters\"" s.json &&
	json_counts page-faults value s.json >faults &&
	test $(wc -l <faults) = 5 &&
	awk "{ if (\$1 < 10000) bad = 1 } END { exit bad }" faults
'

test_expect_success 'stat: the command'"'"'s children are counted too (inherit)' '
	steady stat -n 3 --shell -e page-faults -o kids.json -- "$HELPER alloc 40960000; true" >/dev/null &&
	json_counts page-faults value kids.json >faults &&
	test $(wc -l <faults) = 3 &&
	awk "{ if (\$1 < 10000) bad = 1 } END { exit bad }" faults
'

test_expect_success 'stat: the harness is not counted (the fork and wait before exec)' '
	steady stat -n 3 -e page-faults -o small.json -- "$HELPER" sleep 0 >/dev/null &&
	json_counts page-faults value small.json >faults &&
	test $(wc -l <faults) = 3 &&
	awk "{ if (\$1 > 2000 || \$1 < 1) bad = 1 } END { exit bad }" faults
'

test_expect_success 'stat: hardware events print <not supported> where the machine has no PMU, the rest goes on' '
	steady stat -n 3 -e cycles,instructions,page-faults -o h.json -- "$HELPER" sleep 0 >out &&
	grep "^ *[0-9,.]*   page-faults " out &&
	if event_supported cycles; then
		grep "^ *[0-9,.]*   cycles " out && grep "IPC" out
	else
		grep "^ *<not supported>   cycles$" out &&
		grep "\"status\": \"not supported\"" h.json && ! grep "IPC" out
	fi
'

test_expect_success 'stat: the default set is perf stat'"'"'s' '
	steady stat -n 2 -- "$HELPER" sleep 0 >out &&
	for e in task-clock context-switches cpu-migrations page-faults cycles instructions branches branch-misses; do
		grep "   $e\( \|$\)" out || return 1
	done
'

test_expect_success 'stat --vs: every event compared, 10x the pages is SLOWER in page-faults' '
	steady stat -n 8 -e page-faults,task-clock -o vs.json --vs "$HELPER alloc 4096000" \
		-- "$HELPER" alloc 40960000 >out &&
	grep "^Performance counters, B vs A (8 runs each, interleaved, env-randomised):" out &&
	grep "^  page-faults .* SLOWER$" out &&
	ratio=$(sed -n "s/^  page-faults .* \([0-9.]*\)x .*/\1/p" out) &&
	awk -v r="$ratio" "BEGIN { exit !(r > 4) }" &&
	grep "^  CPUs utilized " out &&
	test $(grep -c "\"name\"" vs.json) = 2
'

test_expect_success 'run --metric EVENT: the summary is of the counter' '
	steady run -n 4 --metric page-faults -- "$HELPER" alloc 8192000 >out &&
	grep "^  Page-faults (mean ± σ): *[0-9.]* K ± " out
'

test_expect_success 'compare --metric: counts saved by stat are compared from the files' '
	steady stat -n 6 -e page-faults -o a.json -- "$HELPER" alloc 4096000 >/dev/null &&
	steady stat -n 6 -e page-faults -o b.json -- "$HELPER" alloc 40960000 >/dev/null &&
	steady compare --metric page-faults a.json b.json >out &&
	grep "^metric: page-faults" out && grep "^verdict: SLOWER" out &&
	grep "B vs A: [0-9.]*x more" out
'

test_expect_success 'compare --metric: a file without those counts is one clear error' '
	steady run -n 3 -o plain.json -- "$HELPER" sleep 0 >/dev/null &&
	steady run -n 3 -o plain2.json -- "$HELPER" sleep 0 >/dev/null &&
	test_expect_code 2 steady compare --metric page-faults plain.json plain2.json >out 2>err &&
	test_one_error_line err && grep "has no counts of .page-faults." err
'

test_expect_success 'valgrind-ir: exact instruction counts, equal run to run without randomisation' '
	steady run -n 3 --no-randomize --metric valgrind-ir -o ir.json -- "$HELPER" calls 1000 >out &&
	grep "^  Valgrind-ir (mean ± σ): " out &&
	sed -n "/\"valgrind-ir\": {/,/}/s/.*\"value\": \([0-9.e+]*\).*/\1/p" ir.json | sort -u >ir &&
	test $(wc -l <ir) = 1 && test "$(cat ir)" != 0
'

test_expect_success 'valgrind-ir: 100x the calls is SLOWER at the first look' '
	steady compare -n 3 --metric valgrind-ir -- "$HELPER calls 1000" "$HELPER calls 100000" >out &&
	grep "^verdict: SLOWER" out
'

test_expect_success 'valgrind-ir: 2% more work is SLOWER at the first look (as README says)' '
	steady compare --metric valgrind-ir -- "$HELPER work 1000000" "$HELPER work 1020000" >out &&
	grep "^verdict: SLOWER by 2.0%" out && grep "decided at look 1 " out
'

test_expect_success 'bad input: unknown events, modifiers and metrics are one line, exit 2' '
	test_expect_code 2 steady stat -e cycels -- "$HELPER" sleep 0 2>err &&
	test_one_error_line err && grep "did you mean: cycles" err &&
	test_expect_code 2 steady stat -e "" -- "$HELPER" sleep 0 2>err &&
	test_one_error_line err &&
	test_expect_code 2 steady stat -e cycles:x -- "$HELPER" sleep 0 2>err &&
	test_one_error_line err && grep "unknown modifier" err &&
	test_expect_code 2 steady stat -e cycles,,instructions -- "$HELPER" sleep 0 2>err &&
	test_one_error_line err &&
	test_expect_code 2 steady run --metric nosuch -- "$HELPER" sleep 0 2>err &&
	test_one_error_line err &&
	test_expect_code 2 steady stat -e page-faults 2>err &&
	test_one_error_line err && grep "missing command" err &&
	test_expect_code 2 steady list --bogus 2>err && test_one_error_line err
'

if event_supported cycles; then
	test_skip 'bad input: a metric this machine cannot count is refused before measuring' \
		'cycles can be counted here: nothing to refuse'
else
test_expect_success 'bad input: a metric this machine cannot count is refused before measuring' '
	test_expect_code 2 steady run -n 2 --metric cycles -- "$HELPER" append ran.log 2>err &&
	test_one_error_line err && grep "cannot be counted on this machine" err &&
	test ! -e ran.log
'
fi

test_expect_success 'stat: an event named twice (or by an alias) is counted once; the file reads back' '
	steady stat -n 3 -e page-faults,faults,PAGE-FAULTS -o d.json -- "$HELPER" sleep 0 >out &&
	test $(grep -c "page-faults\|faults" out) = 1 &&
	steady stat -n 3 -e faults -o d2.json -- "$HELPER" sleep 0 >/dev/null &&
	steady compare --metric faults d.json d2.json >cmp &&
	grep "^verdict:" cmp
'

test_expect_success 'stat: --metric is for run and compare' '
	test_expect_code 2 steady stat -n 2 --metric valgrind-ir -- "$HELPER" sleep 0 2>err &&
	test_one_error_line err
'

test_expect_success 'stat: a failing command stops with exit 1 naming its status' '
	test_expect_code 1 steady stat -n 3 -e page-faults -- "$HELPER" exit 3 >out 2>err &&
	grep "exited with code 3 in measured run 1 " err
'

test_expect_success '-x SEP prints fields as perf stat -x; -d adds perf'"'"'s cache events' '
	steady stat -n 3 -x ";" -d -- "$HELPER" sleep 0 >out 2>err &&
	grep "^[0-9.e+]*;msec;task-clock;[0-9.]*;[0-9.]*;[0-9.e+]*;[0-9.e+]*$" out &&
	grep ";seconds;wall-time;" out &&
	grep "L1-dcache-load-misses" out && grep "LLC-loads" out &&
	awk -F";" "NF != 7 { bad = 1 } END { exit bad }" out &&
	! grep "Performance counters" out &&
	test_expect_code 2 steady stat -n 2 -x , --vs "$HELPER sleep 0" -- "$HELPER" sleep 0 2>err &&
	test_one_error_line err
'

test_expect_success '--export-csv: the counts of each side and event with a header' '
	steady stat -n 2 --export-csv s.csv --vs "$HELPER sleep 0" -- "$HELPER" sleep 1 >/dev/null 2>&1 &&
	test "$(sed -n 1p s.csv)" = "side,value,unit,event,rel_sem_pct,running_pct,ci_lo,ci_hi" &&
	grep "^A,[0-9.e+]*,msec,task-clock," s.csv && grep "^B,[0-9.e+]*,msec,task-clock," s.csv &&
	grep "^B,[0-9.e+-]*,seconds,wall-time," s.csv &&
	awk -F, "NR > 1 && NF != 8 { bad = 1 } END { exit bad }" s.csv
'

test_expect_success '--export-markdown: the counts as a table' '
	steady stat -n 2 --export-markdown s.md -- "$HELPER" sleep 0 >/dev/null 2>&1 &&
	test "$(sed -n 1p s.md)" = "| side | value | unit | event | ± % | running % | CI low | CI high |" &&
	grep "^|  | [0-9.e+]* | msec | task-clock |" s.md &&
	grep "| seconds | wall-time |" s.md
'

test_done
