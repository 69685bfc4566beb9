#!/usr/bin/env bash
# -o - and --json: the results JSON alone on stdout, the summary (and the
# progress, and --show-output) on stderr, for every command that saves
# results; -o /dev/stdout behaves the same. What stdout holds is read back
# by steady compare (results files) or checked for its JSON header and end.
. "$(dirname "$0")/lib.sh"

# json_alone FILE FORMAT: FILE is one JSON document of FORMAT, nothing else.
json_alone() {
	head -n 1 "$1" | grep -qx "{" &&
	sed -n 2p "$1" | grep -qx "  \"format\": \"$2\"," &&
	tail -n 1 "$1" | grep -qx "}" &&
	test "$(grep -c "^[{}]$" "$1")" = 2 || { echo "$1 is not one $2 document:"; head -3 "$1"; return 1; }
}

test_expect_success 'run -o -: the JSON on stdout, readable by compare; the summary on stderr' '
	steady run -n 3 -o - -- "$HELPER" exit 0 >a.json 2>err &&
	json_alone a.json steady-results &&
	grep "^Benchmark: " err && grep "^  Time (mean" err &&
	steady run -n 3 --json -- "$HELPER" sleep 1 >b.json 2>err &&
	json_alone b.json steady-results && grep "^Benchmark: " err &&
	steady compare a.json b.json >out && grep "^verdict: " out &&
	test ! -e ./-
'

test_expect_success 'run -o /dev/stdout into a pipe and a file: the same as -o -' '
	steady run -n 3 -o /dev/stdout -- "$HELPER" exit 0 2>err | cat >p.json &&
	json_alone p.json steady-results && grep "^Benchmark: " err &&
	steady run -n 3 -o /dev/stdout -- "$HELPER" exit 0 >f.json 2>err &&
	json_alone f.json steady-results && grep "^Benchmark: " err &&
	steady compare p.json f.json >/dev/null
'

test_expect_success 'run --json --show-output: the command'\''s output goes to stderr too' '
	steady run -n 2 --json --show-output -- "$HELPER" print 7 >r.json 2>err &&
	json_alone r.json steady-results &&
	grep -q xxxxxxx err && ! grep -q xxxxxxx r.json
'

test_expect_success 'stat --json: the counts in the results format on stdout, the table on stderr' '
	steady stat -n 3 -e task-clock --json -- "$HELPER" exit 0 >s.json 2>err &&
	json_alone s.json steady-results &&
	grep "\"task-clock\": {" s.json &&
	grep "Performance counters for" err && grep "task-clock" err &&
	steady stat -n 3 -e task-clock -o - -- "$HELPER" exit 0 >s2.json 2>/dev/null &&
	json_alone s2.json steady-results
'

test_expect_success 'compare --json (live): both sides on stdout, the verdict on stderr' '
	steady compare -n 3 --json -- "$HELPER sleep 0" "$HELPER sleep 1" >c.json 2>err &&
	json_alone c.json steady-results &&
	grep "^verdict: " err && ! grep "verdict" c.json &&
	steady compare c.json >out && grep "^verdict: " out
'

test_expect_success 'compare --export-csv -: the table on stdout, the comparison on stderr' '
	steady run -n 3 -o a.json -- "$HELPER" exit 0 >/dev/null &&
	steady run -n 3 -o b.json -- "$HELPER" sleep 1 >/dev/null &&
	steady compare --export-csv - a.json b.json >t.csv 2>err &&
	head -n 1 t.csv | grep "^benchmark,metric," && test "$(wc -l <t.csv)" = 2 &&
	grep "^verdict: " err
'

test_expect_success 'trace --json: the counts on stdout, the tables on stderr' '
	steady trace --no-libcalls --json "$HELPER exit 0" "$HELPER sleep 1" >t.json 2>err &&
	json_alone t.json steady-trace &&
	grep "^A: " err
'

if command -v valgrind >/dev/null && [ -z "${VALGRIND_STEADY:-}" ]; then
test_expect_success 'cache --json: the profiles'\'' counts on stdout, the tables on stderr' '
	steady cache --json "$HELPER exit 0" "$HELPER exit 0" >k.json 2>err &&
	json_alone k.json steady-cache &&
	grep "^A: " err
'
else
	test_skip 'cache --json: the profiles'\'' counts on stdout, the tables on stderr' 'valgrind missing, or steady itself under valgrind'
fi

test_expect_success 'layout --json: the variants on stdout, the verdict on stderr' '
	steady layout --variants 2 -n 2 --max-time 1 --json -- "$HELPER sleep 0" "$HELPER sleep 0" >l.json 2>err &&
	json_alone l.json steady-results &&
	grep "^verdict: " err && grep "saved: stdout" err &&
	steady compare l.json >/dev/null
'

test_expect_success 'a file and stdout both asked for, or two tables on stdout: one line, exit 2, nothing runs' '
	test_expect_code 2 steady run --json -o r.json -- "$HELPER" touch ran 2>err &&
	test_one_error_line err && grep "give one" err &&
	test_expect_code 2 steady run -o r.json -o - -- "$HELPER" touch ran 2>err &&
	test_one_error_line err &&
	test_expect_code 2 steady stat -o s.json --json -- "$HELPER" touch ran 2>err &&
	test_one_error_line err &&
	test_expect_code 2 steady compare --json --export-csv - -- "$HELPER touch ran" "$HELPER touch ran" 2>err &&
	test_one_error_line err && grep "only one of" err &&
	test_expect_code 2 steady compare --json a.json b.json 2>err &&
	test_one_error_line err && grep "save live measurements" err &&
	test ! -e ran && test ! -e r.json && test ! -e s.json
'

test_expect_success 'an export to stdout is claimed like -o -: the summary on stderr; two on stdout refused' '
	steady run -n 2 --export-csv - -- "$HELPER" sleep 0 >out 2>err &&
	test "$(sed -n 1p out)" = "command,metric,mean,stddev,median,min,max,runs,relative" &&
	test $(wc -l <out) = 2 && grep "^Benchmark: " err &&
	test_expect_code 2 steady run -n 2 --json --export-csv - -- "$HELPER" sleep 0 >out 2>err &&
	test_one_error_line err && grep "only one of" err && ! test -s out
'

test_done
