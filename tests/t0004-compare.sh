#!/usr/bin/env bash
# steady compare: verdicts on live commands and on saved results of steady,
# hyperfine and pyperf; exports; bad input.
. "$(dirname "$0")/lib.sh"

FIXTURES=$(cd "$(dirname "$0")/fixtures" && pwd)

test_expect_success 'live: 3x the CPU work is SLOWER, with a CI above 1 + margin' '
	steady compare --max-time 20 -o r.json -- "$HELPER burn 5" "$HELPER burn 15" >out &&
	grep "^verdict: SLOWER by" out &&
	grep "B vs A: [0-9.]*x slower" out &&
	lo=$(sed -n "s/.*CI \[\([0-9.]*\)x, .*/\1/p" out) &&
	awk -v lo="$lo" "BEGIN { exit !(lo > 1.01) }" &&
	grep "interleaved in random order, env-randomised" out &&
	grep "decided at look [0-9]* (n doubles between looks): a [0-9.]*% interval; all looks together keep 95%" out
'

test_expect_success 'live: both sides run interleaved, equally often, saved with -o' '
	steady compare -n 12 -o r.json -- "$HELPER append a.log append order.log" \
		"$HELPER append b.log append order.log" >out &&
	test $(wc -l <a.log) = 12 && test $(wc -l <b.log) = 12 &&
	grep "B vs A: .* 95% CI" out && ! grep "look" out &&
	test $(grep -c "\"name\"" r.json) = 2 &&
	test $(json_values wall_ns r.json | wc -l) = 24 &&
	json_values seq r.json >seq &&
	# every run has its place in the shared order; round k holds 2k and 2k+1
	test "$(sort -n seq | tr "\n" " ")" = "$(seq 0 23 | tr "\n" " ")" &&
	head -12 seq >a && tail -12 seq >b &&
	paste a b | awk "{ if (int(\$1 / 2) != NR - 1 || int(\$2 / 2) != NR - 1) bad = 1 } END { exit bad }"
'

test_expect_success 'live: --seed reproduces the randomisation' '
	steady compare -n 20 --seed 7 -o s1.json -- "$HELPER sleep 0" "$HELPER sleep 1" >/dev/null &&
	steady compare -n 20 --seed 7 -o s2.json -- "$HELPER sleep 0" "$HELPER sleep 1" >/dev/null &&
	test_count_is 40 json_values env_pad s1.json &&
	test "$(json_values env_pad s1.json)" = "$(json_values env_pad s2.json)"
'

test_expect_success 'live: a failing side stops with exit 1 naming it' '
	test_expect_code 1 steady compare -n 5 -- "$HELPER sleep 0" "$HELPER exit 3" >out 2>err &&
	grep "exited with code 3 in measured run 1 " err
'

test_expect_success 'files: a hyperfine export against a copy of itself is refused: the same runs' '
	cp "$FIXTURES/hyperfine/two_commands.json" copy.json &&
	test_expect_code 2 steady compare "$FIXTURES/hyperfine/two_commands.json" copy.json 2>err &&
	test_one_error_line err && grep "hold the same runs" err
'

test_expect_success 'files: a live compare file given twice is refused, naming compare FILE' '
	steady compare -n 3 -o live.json -- "$HELPER sleep 0" "$HELPER sleep 0" >/dev/null &&
	grep "\"name\": \"A: " live.json &&
	test_expect_code 2 steady compare live.json live.json >out 2>err &&
	test_one_error_line err && test ! -s out &&
	grep -F "'\''live.json'\'' is given twice: each benchmark would be compared with itself; '\''steady compare live.json'\'' compares its A with its B" err &&
	test_expect_code 2 steady compare live.json ./live.json 2>err &&
	test_one_error_line err && grep "given twice" err &&
	cp live.json copy.json &&
	test_expect_code 2 steady compare live.json copy.json 2>err &&
	test_one_error_line err && grep "hold the same runs.*steady compare live.json" err &&
	steady run -n 3 -o one.json -- "$HELPER" exit 0 >/dev/null &&
	test_expect_code 2 steady compare one.json one.json 2>err &&
	test_one_error_line err && ! grep "A with its B" err &&
	steady compare live.json >out && grep "^verdict: " out
'

test_expect_success 'files: one file whose two sides ran in the same rounds is compared paired, as live; hyperfine'"'"'s is not' '
	steady compare -n 4 -o live.json -- "$HELPER sleep 0" "$HELPER sleep 1" >/dev/null &&
	steady compare live.json >out && grep "paired by round$" out &&
	steady run -n 3 -o two.json "$HELPER sleep 0" "$HELPER sleep 1" >/dev/null &&
	steady compare two.json >out && grep "paired by round$" out &&
	steady compare "$FIXTURES/hyperfine/two_commands.json" >out &&
	grep "independent samples$" out
'

test_expect_success 'files: two live compare files of the same commands match A with A, B with B' '
	steady compare -n 3 -o mon.json -- "$HELPER sleep 0" "$HELPER sleep 1" >/dev/null &&
	steady compare -n 3 -o fri.json -- "$HELPER sleep 0" "$HELPER sleep 1" >/dev/null &&
	steady compare mon.json fri.json >out &&
	test $(grep -c "SLOWER\|FASTER\|SAME\|UNRESOLVED" out) = 2
'

test_expect_success 'files: pyperf suites give per-benchmark rows and a geometric mean' '
	steady compare "$FIXTURES/pyperf/mult_list_py36.json" "$FIXTURES/pyperf/mult_list_py37.json" >out &&
	test $(grep -c "SLOWER\|FASTER\|SAME\|UNRESOLVED" out) = 3 &&
	grep "^geometric mean of B/A over 3 benchmarks: [0-9.]*x" out
'

test_expect_success 'files: steady results saved by run compare to each other' '
	steady run -n 10 -o a.json -- "$HELPER" burn 5 >/dev/null &&
	steady run -n 10 -o b.json -- "$HELPER" burn 15 >/dev/null &&
	# CPU time: the two files were measured one after the other, and a burst
	# of load between them must not decide a test of reading files
	steady compare --metric cpu a.json b.json >out &&
	grep "^verdict: SLOWER" out
'

test_expect_success 'files: the same data give the same interval' '
	steady compare "$FIXTURES/pyperf/mult_list_py36.json" "$FIXTURES/pyperf/mult_list_py37.json" >one &&
	steady compare "$FIXTURES/pyperf/mult_list_py36.json" "$FIXTURES/pyperf/mult_list_py37.json" >two &&
	test_cmp_files one two
'

test_expect_success '--fail-if-slower gates CI: exit 1 only beyond the threshold' '
	steady run -n 10 -o a.json -- "$HELPER" burn 5 >/dev/null &&
	steady run -n 10 -o b.json -- "$HELPER" burn 15 >/dev/null &&
	test_expect_code 1 steady compare --metric cpu --fail-if-slower 5 a.json b.json >out 2>err &&
	drop_valgrind_notes err && test $(wc -l <err) = 1 &&
	grep "^steady: slower: .*burn 15. by [0-9.]*% \[+[0-9.]*%, +[0-9.]*%\], more than --fail-if-slower 5%$" err &&
	test_expect_code 0 steady compare --metric cpu --fail-if-slower 1000 a.json b.json >out 2>err &&
	drop_valgrind_notes err && test ! -s err
'

test_expect_success '--export-markdown and --export-csv write the comparison table' '
	steady compare --export-markdown c.md --export-csv c.csv \
		"$FIXTURES/pyperf/mult_list_py36.json" "$FIXTURES/pyperf/mult_list_py37.json" >/dev/null &&
	head -1 c.md | grep "^| benchmark | A | B | B/A |" &&
	test $(grep -c "^| .*\*\*\(SLOWER\|FASTER\|SAME\|UNRESOLVED\)\*\* |$" c.md) = 3 &&
	grep "^| \\\\\[1\\\\\]\\\\\*1000 |" c.md &&
	head -1 c.csv | grep "^benchmark,metric,a_mean,b_mean" &&
	test $(wc -l <c.csv) = 4 &&
	no_temp_files .
'

test_expect_success 'bad input: one clear line and exit 2' '
	echo "not json" >bad.json && : >empty.json && printf "{\"results\": [" >trunc.json &&
	echo "{\"something\": 1}" >other.json && echo "{\"results\": []}" >nobench.json &&
	for f in bad.json empty.json trunc.json other.json nobench.json missing.json; do
		test_expect_code 2 steady compare "$f" "$FIXTURES/pyperf/telco.json" 2>err || exit 1
		test_one_error_line err || exit 1
	done &&
	test_expect_code 2 steady compare a.json 2>err && test_one_error_line err &&
	test_expect_code 2 steady compare --margin x a.json b.json 2>err && test_one_error_line err
'

test_expect_success 'bad input: mismatched benchmark names are listed' '
	test_expect_code 2 steady compare "$FIXTURES/pyperf/telco.json" \
		"$FIXTURES/pyperf/mult_list_py37.json" 2>err &&
	test_one_error_line err && grep "(.telco.)" err && grep -F "[1,2]*1000" err
'

test_expect_success 'live: Ctrl-C compares and saves what was measured, exit 130' '
	(steady_exec compare --max-time 60 -o r.json -- "$HELPER append a.log sleep 20" \
		"$HELPER append b.log sleep 20" >out 2>err) &
	pid=$! &&
	wait_until 20 has_lines a.log 4 &&
	stop_and_wait INT $pid;
	test "$rc" = 130 &&
	test "$(json_values stop_reason r.json | sort -u)" = interrupted &&
	grep "^verdict: " out
'

test_expect_success 'files: two benchmarks of one name cannot be matched: one line, exit 2' '
	steady compare -n 2 -o two.json -- "$HELPER sleep 0" "$HELPER sleep 1" >/dev/null &&
	sed "s/^\(      \"name\": \)\".*\",$/\1\"same\",/" two.json >dup.json &&
	test $(grep -c "\"name\": \"same\"" dup.json) = 2 &&
	test_expect_code 2 steady compare dup.json two.json 2>err &&
	test_one_error_line err && grep "two benchmarks named .same." err
'

test_expect_success '--estimator: the verdict names what judged it, the mean stays beside it' '
	steady compare -n 12 -o r.json -- "$HELPER burn 5" "$HELPER burn 15" >live &&
	grep "^B vs A: .*(median of the pairs.* ratios)$" live &&
	grep "^        mean [0-9.]*x \[[0-9.]*x, [0-9.]*x\], Hodges" live &&
	steady compare --estimator mean -n 12 -- "$HELPER burn 5" "$HELPER burn 15" >mean &&
	grep "^B vs A: .*(ratio of means)$" mean &&
	steady run -n 8 -o a.json -- "$HELPER burn 5" >/dev/null &&
	steady run -n 8 -o b.json -- "$HELPER burn 15" >/dev/null &&
	steady compare a.json b.json >files &&
	grep "(ratio of medians)$" files &&
	steady compare --estimator median --export-csv c.csv a.json b.json >/dev/null &&
	test "$(sed -n 2p c.csv | cut -d, -f7)" = median
'

test_expect_success '--estimator: too few pairs for the default falls back to the mean and says so' '
	steady compare -n 3 -- "$HELPER burn 5" "$HELPER burn 15" >out &&
	grep "^B vs A: .*(ratio of means: too few runs yet for the default.s interval)$" out &&
	steady compare -n 3 --estimator median -- "$HELPER burn 5" "$HELPER burn 15" >named &&
	grep "^verdict: UNRESOLVED" named
'

test_expect_success '--estimator: an unknown name is one error line, exit 2, nothing run' '
	steady compare --help | grep -- "--estimator E" &&
	steady stat --help | grep -- "--estimator E" &&
	test_expect_code 2 steady compare --estimator mode -- "$HELPER append x.log" "$HELPER append x.log" 2>err &&
	test_one_error_line err && grep "median, hl, mean, min or auto" err &&
	test ! -e x.log &&
	test_expect_code 2 steady stat --estimator mode --vs true -- true 2>err &&
	test_one_error_line err
'

test_expect_success 'files: pyperf gzip output (.json.gz) reads like the plain file; broken gzip is one line' '
	gzip -c "$FIXTURES/pyperf/mult_list_py36.json" >py36.json.gz &&
	steady compare "$FIXTURES/pyperf/mult_list_py36.json" "$FIXTURES/pyperf/mult_list_py37.json" >plain &&
	steady compare py36.json.gz "$FIXTURES/pyperf/mult_list_py37.json" >out &&
	test_cmp_files plain out &&
	gzip -c "$FIXTURES/pyperf/telco.json" >telco.json.gz &&
	head -c 300 telco.json.gz >broken.json.gz &&
	test_expect_code 2 steady compare broken.json.gz telco.json.gz 2>err &&
	test_one_error_line err && grep "broken gzip data (unexpected end of file)" err &&
	echo "{\"a\": " | gzip >bad.json.gz &&
	test_expect_code 2 steady compare bad.json.gz telco.json.gz 2>err &&
	test_one_error_line err && grep "not valid JSON inside the gzip data" err
'

test_done
