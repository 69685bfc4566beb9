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
	{ (steady_exec show fifo >out) & } &&
	pid=$! &&
	# a reader that opens the FIFO a second time waits for a writer forever
	if ! wait_until 30 process_gone $pid; then kill $pid; fi &&
	wait $pid &&
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

# set_task_clock FIELD VALUE <IN >OUT: a results file with the task-clock
# counter's FIELD ("value" or "running_pct") set to VALUE in every run.
set_task_clock() {
	awk -v key="\"$1\":" -v val="$2" '
	/"task-clock": [{]/ { inside = 1 }
	inside && $1 == key { sub(/: .*/, ": " val ($0 ~ /,$/ ? "," : "")) }
	inside && /[}]/ { inside = 0 }
	{ print }'
}

test_expect_success 'counts: values out of what perf can count and running_pct outside (0, 100] are one line naming the file and field, exit 2' '
	steady stat -n 3 -o st.json -- "$HELPER" sleep 1 >/dev/null 2>&1 &&
	grep -q "\"task-clock\": {" st.json &&
	steady show st.json >/dev/null &&
	for bad in "value 1e308" "value -1e308" "value [1,-2,3]" "value 1e25" \
		   "running_pct -5" "running_pct 0" "running_pct 101" "running_pct [100,-1e308,100]"; do
		set_task_clock $bad <st.json >bad.json &&
		! cmp -s st.json bad.json &&
		test_expect_code 2 steady show bad.json >/dev/null 2>err &&
		test_one_error_line err &&
		grep "cannot read .bad.json.: .benchmarks\[0\]\.runs\.counts\.task-clock\.${bad%% *}\[[0-9]\]. " err &&
		test_expect_code 2 steady compare st.json bad.json >/dev/null 2>err &&
		test_one_error_line err || return 1
	done &&
	grep "must not be negative (-1e+308)" <(set_task_clock value -1e308 <st.json >bad.json; steady show bad.json 2>&1) &&
	set_task_clock value 1e9 <st.json | set_task_clock running_pct 50 >ok.json &&
	steady show ok.json >out && ! grep -i "inf" out
'

test_expect_success 'nothing to compare: a side with no runs, only warm-up or only timed-out runs is one error naming it, exit 2 (compare and report)' '
	steady run -n 1 -o one.json -- "$HELPER" sleep 1 >/dev/null &&
	steady run -n 3 -o ok.json -- "$HELPER" sleep 1 >/dev/null &&
	grep -q "^        \"count\": 1,$" one.json &&
	sed "s/^        \"count\": 1,$/        \"count\": 0,/" one.json >zero.json &&
	sed "s/^        \"warmup\": false,$/        \"warmup\": true,/" one.json >warm.json &&
	! cmp -s one.json zero.json && ! cmp -s one.json warm.json &&
	test_expect_code 1 steady run -n 2 -i --timeout 0.2 -o late.json -- "$HELPER" sleep 30000 >/dev/null 2>&1 &&
	for f in zero warm late; do
		test_expect_code 2 steady compare $f.json ok.json >out 2>err &&
		test_one_error_line err && test ! -s out &&
		grep "nothing to compare: side A (.*sleep.* in .$f.json.) has no" err &&
		test_expect_code 2 steady compare ok.json $f.json 2>err &&
		test_one_error_line err && grep "nothing to compare: side B .* in .$f.json." err &&
		test_expect_code 2 steady report -o r.html ok.json $f.json 2>err &&
		test_one_error_line err && grep "nothing to compare: side B .* in .$f.json." err &&
		test ! -e r.html || return 1
	done &&
	steady compare zero.json ok.json 2>&1 | grep "has no runs$" &&
	steady compare warm.json ok.json 2>&1 | grep "its 1 run is warm-up" &&
	steady compare late.json ok.json 2>&1 | grep "its 2 runs all timed out" &&
	steady run -n 3 -o ok2.json -- "$HELPER" sleep 1 >/dev/null &&
	test_expect_code 2 steady compare ok.json ok2.json zero.json 2>err &&
	test_one_error_line err && grep "side B .* in .zero.json." err
'

test_expect_success 'nothing to compare: hyperfine times of 0 are one error naming the side (compare and report)' '
	printf "{\"results\": [{\"command\": \"a\", \"times\": [0.01, 0.011, 0.012]}, {\"command\": \"b\", \"times\": [0.0, 0.0, 0.0]}]}\n" >hf.json &&
	test_expect_code 2 steady compare hf.json >out 2>err &&
	test_one_error_line err && test ! -s out &&
	grep "nothing to compare: side B (.b. in .hf.json.) has 3 wall times of 0 among its 3" err &&
	test_expect_code 2 steady report -o r.html hf.json 2>err &&
	test_one_error_line err && grep "side B (.b. in .hf.json.)" err &&
	sed "s/\[0.0, 0.0, 0.0\]/[0.02, 0.021, 0.022]/" hf.json >fine.json &&
	steady compare fine.json | grep "^verdict: SLOWER"
'

# A program calling a library function whose symbol holds the byte 0xff,
# which is not UTF-8: its name in the JSON must be "we<U+FFFD>ird".
make_weird_program() {
	printf "int weird(int x) __asm__(\"we\\\\xffird\");\nint weird(int x) { return x * 3 + 1; }\n" >lib.c &&
	printf "int weird(int x) __asm__(\"we\\\\xffird\");\nint main(int argc, char **argv) { int s = 0; (void)argv; for (int i = 0; i < 1000; i++) s += weird(i + argc); return s == 42; }\n" >main.c &&
	cc -shared -fPIC -o libweird.so lib.c &&
	cc -o prog main.c -L. -lweird -Wl,-rpath,"\$ORIGIN" &&
	./prog &&
	nm -D libweird.so | grep -a -q "we$(printf "\377")ird"
}
FFFD=$(printf "\357\277\275")

if command -v cc >/dev/null 2>&1; then
test_expect_success 'trace -o: a command word and a library function that are not UTF-8 are kept, as U+FFFD, in valid JSON' '
	make_weird_program &&
	steady trace -o t.json ./prog ./prog -- "a$(printf "\377")b" >out &&
	steady show t.json >/dev/null &&
	test $(grep -a -c "^      \"a${FFFD}b\"$" t.json) = 2 &&
	test $(grep -a -c "\"we${FFFD}ird@libweird.so\": 1000,$" t.json) = 2
'
else
test_skip 'trace -o: a command word and a library function that are not UTF-8 are kept' 'no C compiler'
fi

if command -v cc >/dev/null 2>&1 && command -v valgrind >/dev/null 2>&1; then
test_expect_success 'cache -o: a command word and a function name that are not UTF-8 are kept, as U+FFFD, in valid JSON' '
	make_weird_program &&
	steady cache -o c.json ./prog ./prog -- "a$(printf "\377")b" >out &&
	steady show c.json >/dev/null &&
	test $(grep -a -c "^    \"command\": \"./prog .a${FFFD}b.\",$" c.json) = 2 &&
	test $(grep -a -c "^        \"function\": \"we${FFFD}ird\",$" c.json) = 2
'
else
test_skip 'cache -o: a command word and a function name that are not UTF-8 are kept' 'no C compiler or no valgrind'
fi

test_expect_success 'a message longer than 4096 bytes is printed whole: a path of 5000 characters and the reason after it' '
	long=$(printf "d%.0s/" $(seq 2494))missing.json &&
	test ${#long} = 5000 &&
	test_expect_code 2 steady show "$long" 2>err &&
	test_one_error_line err &&
	test "$(cat err)" = "steady: error: cannot read '\''$long'\'': File name too long" &&
	test_expect_code 2 steady compare "$long" "$long" 2>err &&
	test_one_error_line err && grep -F -q "$long" err &&
	test $(wc -c <err) -gt 5000
'

test_done
