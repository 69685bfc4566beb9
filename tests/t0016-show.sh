#!/usr/bin/env bash
# steady show: saved files read again — summaries of steady, hyperfine and
# pyperf results (gzip too), every run, a histogram, the metadata, a layout
# file's verdict, the other kinds as their values; unreadable files.
. "$(dirname "$0")/lib.sh"

FIXTURES=$(cd "$(dirname "$0")/fixtures" && pwd)

test_expect_success 'a run file: its summary, every run, a histogram, the metadata' '
	steady run -n 7 -o r.json -- "$HELPER" sleep 1 >/dev/null &&
	steady show r.json >out &&
	grep "^Benchmark: .*steady-helper sleep 1" out &&
	grep "Runs:  *7 measured" out && ! grep "^  *run  *order" out &&
	steady show --runs --hist --metadata r.json >out &&
	test $(grep -c "^  *[1-7]  *[0-6]  .* exit 0 " out) = 7 &&
	test $(grep -c " \.\. " out) = 16 &&
	grep "^  measured: 20[0-9-]*T" out && grep "^  host: " out &&
	grep "^  command: .*steady-helper sleep 1" out
'

test_expect_success 'other tools: pyperf (plain and .json.gz) and hyperfine, marked as imported' '
	gzip -c "$FIXTURES/pyperf/telco.json" >telco.json.gz &&
	steady show "$FIXTURES/pyperf/telco.json" telco.json.gz "$FIXTURES/hyperfine/two_commands.json" >out &&
	test $(grep -c "^Benchmark: telco" out) = 2 &&
	test $(grep -c "imported from another tool" out) = 4 &&
	! grep "nan" out &&
	steady show --runs "$FIXTURES/hyperfine/two_commands.json" >out &&
	grep "^  *run  *time" out
'

test_expect_success 'a layout file: its verdict, then each build' '
	steady layout --variants 2 -n 2 -o l.json -- "$HELPER sleep 0" "$HELPER sleep 0" >/dev/null &&
	steady show l.json >out &&
	grep "^layout (env): \(SAME\|UNRESOLVED\|LAYOUT ARTEFACT\|REAL CHANGE\)" out &&
	test $(grep -c "^Benchmark: " out) = 6
'

test_expect_success 'a trace file: the values it holds' '
	steady trace -o t.json -- /bin/true /bin/true >/dev/null &&
	steady show t.json >out &&
	grep "^  format: steady-trace" out && grep "^  a:" out && grep "^  b:" out &&
	steady show --runs t.json >out 2>err &&
	grep "has no runs" err
'

test_expect_success 'unreadable files: one line each, the others still shown, exit 2' '
	steady run -n 2 -o r.json -- "$HELPER" sleep 0 >/dev/null &&
	echo "not json" >bad.json &&
	test_expect_code 2 steady show missing.json r.json bad.json >out 2>err &&
	test $(wc -l <err) = 2 && grep "missing.json" err && grep "bad.json" err &&
	grep "^Benchmark: " out &&
	test_expect_code 2 steady show 2>err && test_one_error_line err &&
	test_expect_code 2 steady show --frobnicate r.json 2>err && test_one_error_line err
'

test_expect_success 'pyperf --track-memory: peak memory, shown and compared as maxrss' '
	steady show "$FIXTURES/pyperf/track_memory.json" >out &&
	grep "^  Max RSS (mean ± σ): *7.0[0-9]* MiB" out &&
	sed "s/7380992/7480992/" "$FIXTURES/pyperf/track_memory.json" >more.json &&
	steady compare --metric maxrss "$FIXTURES/pyperf/track_memory.json" more.json >out &&
	grep "^metric: max RSS" out && grep "^verdict: " out &&
	test_expect_code 2 steady compare "$FIXTURES/pyperf/track_memory.json" more.json 2>err &&
	grep "recorded peak memory only, not wall time (use --metric maxrss)" err
'

# A hyperfine file of 20 000 runs: `show --runs` prints far more than a pipe holds.
big_hyperfine_file() {
	printf '{"results": [{"command": "x", "times": ['
	seq -s, 20000 | sed 's/[0-9][0-9]*/0.01/g'
	printf ']}]}\n'
}

test_expect_success 'a reader that stops early (| head): no error, exit 0' '
	big_hyperfine_file >big.json &&
	{ steady show --runs big.json 2>err; echo $? >rc; } | head -n 1 >first &&
	drop_valgrind_notes err && test "$(cat rc)" = 0 && test ! -s err && test -s first
'

test_done
