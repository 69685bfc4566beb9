#!/usr/bin/env bash
# steady compare with three or more commands or files: each against the
# baseline (the first, or --baseline), all commands interleaved in the same
# rounds, the family decided by Holm's step-down; bad --baseline values.
. "$(dirname "$0")/lib.sh"

FIXTURES=$(cd "$(dirname "$0")/fixtures" && pwd)

test_expect_success 'live: two commands 3x slower than the baseline are both SLOWER' '
	steady compare --max-time 30 -- "$HELPER burn 5" "$HELPER burn 15" "$HELPER burn 15" >out &&
	grep "^  1  .*burn 5 .*(baseline)$" out &&
	test $(grep -c "^[23]  .* SLOWER  *[23]: $HELPER burn 15$" out) = 2 &&
	grep "Holm over 2 comparisons at a [0-9.]*% family level; all looks together keep 95%" out &&
	for lo in $(sed -n "s/^[23]  .*\[\([0-9.]*\)x, .*/\1/p" out); do
		awk -v lo="$lo" "BEGIN { exit !(lo > 1.01) }" || exit 1
	done
'

test_expect_success 'live: all commands run interleaved, equally often, all saved with -o' '
	steady compare -n 8 -o r.json -- "$HELPER append a.log append order.log" \
		"$HELPER append b.log append order.log" "$HELPER append c.log append order.log" >out &&
	test $(wc -l <a.log) = 8 && test $(wc -l <b.log) = 8 && test $(wc -l <c.log) = 8 &&
	test $(grep -c "\"name\"" r.json) = 3 &&
	grep "8 runs each, interleaved in random order" out &&
	grep "Holm over 2 comparisons at a 95% family level" out &&
	json_values seq r.json >seq &&
	test_count_is 24 cat seq &&
	# every run has its place in the shared order; round k holds 3k, 3k+1, 3k+2
	test "$(sort -n seq | tr "\n" " ")" = "$(seq 0 23 | tr "\n" " ")" &&
	sed -n 1,8p seq >a && sed -n 9,16p seq >b && sed -n 17,24p seq >c &&
	paste a b c | awk "{ for (i = 1; i <= 3; i++) if (int(\$i / 3) != NR - 1) bad = 1 } END { exit bad }"
'

test_expect_success 'live: --baseline by number and by name chooses what the others are compared with' '
	steady compare -n 12 --baseline 2 -- "$HELPER burn 15" "$HELPER burn 5" "$HELPER burn 16" >out &&
	grep "^  2  .*burn 5 .*(baseline)$" out && ! grep "^  [13]  .*(baseline)" out &&
	grep "^1  .* SLOWER  *$HELPER burn 15$" out && grep "^3  .* SLOWER  *$HELPER burn 16$" out &&
	steady compare -n 12 --baseline "$HELPER burn 5" -- "$HELPER burn 15" "$HELPER burn 16" "$HELPER burn 5" >name &&
	grep "^  3  .*burn 5 .*(baseline)$" name &&
	test $(grep -c "^[12]  .* SLOWER " name) = 2
'

test_expect_success 'live: two commands with --baseline 2 compare the first against the second' '
	steady compare -n 12 --baseline 2 -- "$HELPER burn 15" "$HELPER burn 5" >out &&
	grep "^  A  .*burn 5 " out && grep "^  B  .*burn 15 " out &&
	grep "^verdict: SLOWER" out
'

test_expect_success 'live: the same command twice in a family gets numbered names' '
	steady compare -n 3 -o r.json -- "$HELPER sleep 0" "$HELPER sleep 0" "$HELPER sleep 1" >out &&
	grep "\"name\": \"1: $HELPER sleep 0\"" r.json &&
	grep "\"name\": \"2: $HELPER sleep 0\"" r.json &&
	steady compare r.json r.json r.json >/dev/null 2>err; test $? = 2
'

test_expect_success '--fail-if-slower trips on any row of the family' '
	test_expect_code 1 steady compare -n 12 --fail-if-slower 50 -- \
		"$HELPER burn 5" "$HELPER burn 5" "$HELPER burn 15" >out 2>err &&
	grep "SLOWER" out && drop_valgrind_notes err && test $(wc -l <err) = 1 &&
	grep "^steady: slower: .3: .*burn 15. by .* more than --fail-if-slower 50%$" err &&
	test_expect_code 0 steady compare -n 12 --fail-if-slower 1000 -- \
		"$HELPER burn 5" "$HELPER burn 5" "$HELPER burn 15" >out
'

test_expect_success 'files: each file against the first, one Holm family, a column naming the file' '
	steady run -n 10 -o a.json -- "$HELPER" burn 5 >/dev/null &&
	steady run -n 10 -o b.json -- "$HELPER" burn 15 >/dev/null &&
	steady run -n 10 -o c.json -- "$HELPER" burn 16 >/dev/null &&
	# CPU time: files measured one after the other, whatever the load between
	steady compare --metric cpu --export-csv c.csv --export-markdown c.md a.json b.json c.json >out &&
	grep "^baseline: a.json$" out &&
	grep "^b.json .* SLOWER$" out && grep "^c.json .* SLOWER$" out &&
	grep "^Holm over 2 rows (2 files against the baseline)" out &&
	test $(wc -l <c.csv) = 3 && grep "^\"b.json: " c.csv && grep "^\"c.json: " c.csv &&
	test $(grep -c "^| [bc].json: .*\*\*SLOWER\*\* |$" c.md) = 2 &&
	steady compare --metric cpu --baseline c.json a.json b.json c.json >base &&
	grep "^baseline: c.json$" base && grep "^a.json .* FASTER$" base &&
	steady compare --metric cpu --baseline 3 a.json b.json c.json >num && test_cmp_files base num
'

test_expect_success 'files: Holm over all rows of all pairs: pyperf suites of 3 benchmarks each' '
	cp "$FIXTURES/pyperf/mult_list_py36.json" 36.json &&
	cp "$FIXTURES/pyperf/mult_list_py37.json" 37.json &&
	cp "$FIXTURES/pyperf/mult_list_py37.json" 37b.json &&
	steady compare 36.json 37.json 37b.json >out &&
	test $(grep -c "^37b\?.json " out) = 6 &&
	grep "^Holm over 6 rows (2 files against the baseline)" out
'

test_expect_success 'bad input: --baseline out of range or unknown is one line, exit 2, nothing run' '
	for b in 0 4 99999999999999999999 "$HELPER burn 1" ""; do
		test_expect_code 2 steady compare -n 2 --baseline "$b" -- "$HELPER append x.log" \
			"$HELPER append x.log" "$HELPER append x.log" 2>err || exit 1
		test_one_error_line err || exit 1
	done &&
	test ! -e x.log &&
	steady compare --baseline 4 -- a b c 2>err; test $? = 2 &&
	grep "out of range: there are 3 commands" err &&
	steady compare --baseline zz -- a b c 2>err; test $? = 2 &&
	grep "'\''zz'\'' is none of the 3 commands" err &&
	steady run -n 2 -o one.json -- "$HELPER" sleep 0 >/dev/null &&
	test_expect_code 2 steady compare --baseline 1 one.json 2>err && test_one_error_line err &&
	test_expect_code 2 steady compare --baseline 3 one.json one.json 2>err && test_one_error_line err &&
	grep "there are 2 files" err
'

test_done
