#!/usr/bin/env bash
# Hardening of what steady reads (issue 17): every input read once, as a
# stream (a pipe, a FIFO, a /proc file of size 0); per-run counter values
# validated like wall_ns; a side with nothing measured is one error naming
# it; names that are not UTF-8 kept as U+FFFD by every writer; long
# messages printed whole.
. "$(dirname "$0")/lib.sh"

FIXTURES=$(cd "$(dirname "$0")/fixtures" && pwd)

test_expect_success 'a pipe: compare, show and report read steady, hyperfine and pyperf files through <(cat FILE)' '
	steady run -n 5 -o a.json -- "$HELPER" sleep 1 >/dev/null &&
	steady run -n 5 -o b.json -- "$HELPER" sleep 1 >/dev/null &&
	steady compare a.json b.json >want 2>&1 &&
	steady compare <(cat a.json) b.json >got 2>&1 &&
	test_cmp_files want got &&
	steady compare <(cat a.json) <(cat b.json) >got 2>&1 &&
	test_cmp_files want got &&
	for f in a.json "$FIXTURES/hyperfine/two_commands.json" "$FIXTURES/pyperf/telco.json"; do
		steady show "$f" | tail -n +2 >want &&
		steady show <(cat "$f") | tail -n +2 >got &&
		test_cmp_files want got &&
		steady show <(gzip -c "$f") | tail -n +2 >got &&
		test_cmp_files want got &&
		steady report -o r.html <(cat "$f") >/dev/null &&
		grep -q "<html" r.html || return 1
	done &&
	steady compare "$FIXTURES/hyperfine/two_commands.json" >want &&
	steady compare <(cat "$FIXTURES/hyperfine/two_commands.json") >got &&
	test_cmp_files want got &&
	steady compare "$FIXTURES/pyperf/mult_list_py36.json" "$FIXTURES/pyperf/mult_list_py37.json" >want &&
	steady compare <(cat "$FIXTURES/pyperf/mult_list_py36.json") <(gzip -c "$FIXTURES/pyperf/mult_list_py37.json") >got &&
	test_cmp_files want got
'

test_expect_success 'a pipe: show and report read steady files of other kinds (report fixtures) once' '
	for f in "$FIXTURES"/report/*.json; do
		steady show "$f" | tail -n +2 >want &&
		steady show <(cat "$f") | tail -n +2 >got &&
		test_cmp_files want got &&
		steady report -o r.html <(cat "$f") >/dev/null || return 1
	done
'

test_expect_success 'a FIFO fed by a writer that starts late, and a /proc file of size 0, are read, not called empty' '
	steady run -n 3 -o a.json -- "$HELPER" sleep 1 >/dev/null &&
	mkfifo fifo &&
	{ (sleep 0.3; cat a.json >fifo) & } &&
	steady show fifo >out &&
	wait &&
	grep "^Benchmark: .*sleep 1" out &&
	test "$(stat -c %s /proc/self/environ)" = 0 &&
	test_expect_code 2 steady show /proc/self/environ 2>err &&
	test_one_error_line err && grep "not valid JSON" err && ! grep "empty" err &&
	: >empty.json &&
	test_expect_code 2 steady show empty.json 2>err &&
	test_one_error_line err && grep "the file is empty" err &&
	test_expect_code 2 steady compare <(:) a.json 2>err &&
	test_one_error_line err && grep "the file is empty" err
'

test_expect_success 'gzip through a pipe: truncated data is one line naming it' '
	gzip -c "$FIXTURES/pyperf/telco.json" | head -c 300 >broken.json.gz &&
	test_expect_code 2 steady show <(cat broken.json.gz) 2>err &&
	test_one_error_line err && grep "broken gzip data (unexpected end of file)" err &&
	printf "\037\213garbage" >bad.gz &&
	test_expect_code 2 steady show bad.gz 2>err &&
	test_one_error_line err && grep "broken gzip data" err
'

test_done
