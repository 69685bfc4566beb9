#!/usr/bin/env bash
# fuzz.sh BUILD SECONDS: runs every libFuzzer target of BUILD/bin (made by
# `make fuzz` from fuzz/fuzz_*.c) for SECONDS each, one after the other,
# and prints one line per target: executions, executions per second, and
# libFuzzer's coverage ("cov": edges reached, "ft": features).
#
# FUZZ_SEED=N and FUZZ_RUNS=M make a run repeatable: libFuzzer's mutations
# from seed N, at most M inputs a target (and SECONDS at most). CI uses
# them, so what it runs is a prefix of what a longer run here with the same
# seed and runs already passed: a submission is not failed by the luck of
# the draw, and a new bug in a parser still shows on the inputs it checks.
#
# Each target starts from fuzz/corpus/<target>/ and fuzz/regressions/<target>/
# (read only) plus what earlier runs found, kept in BUILD/corpus/<target>/
# (only that first directory is written). A crash, leak, timeout or broken
# property stops the target; its input is saved as BUILD/crashes/<target>-*
# and the script goes on with the others, then fails naming them. Turn the
# input into a regression: fix the parser, copy the file into
# fuzz/regressions/<target>/ (make check replays it, test_fuzz_regressions).
set -u
build=${1:?usage: fuzz.sh BUILD SECONDS}
seconds=${2:?usage: fuzz.sh BUILD SECONDS}
cd "$(dirname "$0")/.."

failed=""
mkdir -p "$build/crashes"
for bin in "$build"/bin/fuzz_*; do
	[ -x "$bin" ] || continue
	t=$(basename "$bin")
	log="$build/$t.log"
	mkdir -p "$build/corpus/$t"
	seeds=()
	for d in "fuzz/corpus/$t" "fuzz/regressions/$t"; do
		[ -d "$d" ] && seeds+=("$d")
	done
	# -close_fd_mask=2: the parsers' error lines would flood the terminal
	# (libFuzzer's own report and the sanitizers' still show); -timeout: an
	# input that takes 10 s is a hang; -max_len: the parsers' cost is in
	# their structure, and short inputs mutate faster.
	repeat=()
	[ -n "${FUZZ_SEED:-}" ] && repeat+=(-seed="$FUZZ_SEED")
	[ -n "${FUZZ_RUNS:-}" ] && repeat+=(-runs="$FUZZ_RUNS")
	"$bin" "${repeat[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
		-close_fd_mask=2 -print_final_stats=1 \
		-artifact_prefix="$build/crashes/$t-" \
		"$build/corpus/$t" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
	printf '%-16s %10s execs %8s/s  cov: %-6s ft: %-6s corpus: %s\n' \
		"$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}"
	if [ $rc -ne 0 ]; then
		echo "$t: FAILED (exit $rc), see $log:" >&2
		grep -E 'ERROR|SUMMARY|property broken|Test unit written' "$log" | head -5 >&2
		failed="$failed $t"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
