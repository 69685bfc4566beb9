#!/usr/bin/env bash
# steady cache: A and B under Cachegrind, totals side by side, the functions
# that changed; the no-difference case; saved profiles; bad input.
. "$(dirname "$0")/lib.sh"

FIXTURES=$(cd "$(dirname "$0")/fixtures" && pwd)

test_expect_success 'twice the work: Ir grows, main is the function that changed' '
	steady cache -o c.json --export-csv c.csv --export-markdown c.md \
		"$HELPER work 100000" "$HELPER work 200000" >out &&
	test "$(sed -n 1p c.csv)" = "event,a,b,delta,change_pct" &&
	grep "^\"Ir\",\"[0-9]*\",\"[0-9]*\",\"+[0-9]*\",\"+[0-9.]*\"$" c.csv &&
	grep "^| Ir | [0-9]* | [0-9]* | +[0-9]* | +[0-9.]* |$" c.md &&
	grep "^Simulated caches: I1 .*; D1 .*; LL .*" out &&
	for e in Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw; do
		grep "^$e  " out || return 1
	done &&
	grep "^Ir  .* +[0-9,]* *+[0-9.]*%$" out &&
	sed -n "/^Functions by change in Ir:/,/^$/p" out | sed -n 3p | grep " main " &&
	grep "^Functions by change in I1 misses:" out &&
	grep "^Functions by change in D1 misses:" out &&
	grep "^Functions by change in LL misses:" out &&
	grep "\"format\": \"steady-cache\"" c.json && grep "\"totals_agree\": false" c.json
'

test_expect_success 'the same program twice: no difference, said plainly, with why' '
	steady cache "$HELPER work 100000" "$HELPER work 100000" >out &&
	grep "^No difference in simulated cache behaviour: every total agrees within 0.1%" out &&
	grep "code layout" out && ! grep "^Functions by change" out
'

test_expect_success 'ARGS after -- go to both programs; --branch-sim adds the branch events' '
	steady cache --branch-sim "$HELPER" "$HELPER" -- work 1000 >out &&
	grep "^A: .*steady-helper work 1000$" out &&
	for e in Bc Bcm Bi Bim; do grep "^$e  " out || return 1; done
'

test_expect_success '--I1/--D1/--LL set the simulated caches' '
	steady cache --I1 16384,4,64 --D1 16384,4,64 --LL 1048576,8,64 "$HELPER work 1000" "$HELPER work 1000" >out &&
	grep "^Simulated caches: I1 16 KiB, 4-way, 64 B lines; D1 16 KiB, 4-way, 64 B lines; LL 1 MiB, 8-way, 64 B lines$" out
'

test_expect_success '--profiles: the shared fixtures, +10% work found in main and step' '
	steady cache --profiles --top 2 "$FIXTURES/cachegrind/work-ref.out" "$FIXTURES/cachegrind/work-plus10.out" >out &&
	grep "^Ir  *2,129,200  *2,329,238  *+200,038  *+9.39%$" out &&
	sed -n "/^Functions by change in Ir:/,/^$/p" out >ir &&
	sed -n 3p ir | grep "+140,005 .* main (???)" &&
	sed -n 4p ir | grep "+60,000 .* step (???)" &&
	test $(wc -l <ir) = 5
'

test_expect_success '-o to a FIFO is written in place, never replaced by a file' '
	mkfifo p && { cat p >got & } &&
	steady cache --profiles -o p "$FIXTURES/cachegrind/work-ref.out" "$FIXTURES/cachegrind/work-plus10.out" >/dev/null &&
	wait && test -p p && grep "\"format\": \"steady-cache\"" got &&
	mkfifo q && { cat q >csv & } &&
	steady compare --export-csv q "$FIXTURES/pyperf/mult_list_py36.json" "$FIXTURES/pyperf/mult_list_py37.json" >/dev/null &&
	wait && test -p q && grep "^benchmark,metric," csv
'

test_expect_success 'a program failing under valgrind: exit 1, named with its status' '
	test_expect_code 1 steady cache "$HELPER" "$HELPER" -- exit 3 >out 2>err &&
	test_one_error_line err && grep "A exited with code 3 under valgrind" err
'

test_expect_success 'bad input: one line, exit 2' '
	test_expect_code 2 steady cache "$HELPER" 2>err && test_one_error_line err &&
	test_expect_code 2 steady cache --I1 32768,3,64 a b 2>err && test_one_error_line err &&
	grep "cannot be simulated" err &&
	test_expect_code 2 steady cache --I1 big a b 2>err && test_one_error_line err &&
	test_expect_code 2 steady cache --profiles nosuch.out "$FIXTURES/cachegrind/work-ref.out" 2>err &&
	test_one_error_line err && grep "nosuch.out" err &&
	echo "not a profile" >bad.out &&
	test_expect_code 2 steady cache --profiles bad.out bad.out 2>err && test_one_error_line err &&
	test_expect_code 2 steady cache /nonexistent/prog "$HELPER" 2>err && test_one_error_line err &&
	test_expect_code 2 steady cache "$HELPER" "$HELPER" extra 2>err && test_one_error_line err
'

test_expect_success 'valgrind missing: how to install it' '
	test_expect_code 2 env PATH=/var/empty "$STEADY" cache "$HELPER" "$HELPER" 2>err &&
	test_one_error_line err && grep "apt-get install valgrind" err
'

test_done
