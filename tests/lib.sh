# lib.sh: the shell test library, sourced by every tests/tNNNN-*.sh.
#
# A test script is a list of
#     test_expect_success 'title' '
#         shell commands; the last status decides
#     '
# blocks ending in test_done. Each block runs in a subshell inside a fresh
# scratch directory ($TEST_DIR, removed at the end) and prints one TAP line,
# "ok N - title" or "not ok N - title" followed by its output as comments.
#
# $STEADY and $HELPER (set by tests/run-tests.sh) are the binaries under test;
# call steady through the `steady` function so `make valgrind` can wrap it.
#
# House rules the helpers below serve: a loop over values first checks how
# many there are (test_count_is); every wait for a file or a process is
# wait_until with a timeout; a case that does not apply here is test_skip
# with the reason, never a body that passes without testing.
set -u

: "${STEADY:?set STEADY to the steady binary}"
: "${HELPER:?set HELPER to the steady-helper binary}"

TEST_NAME=$(basename "$0" .sh)
TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/steady-$TEST_NAME.XXXXXX")
trap 'rm -rf "$TEST_DIR"' EXIT
test_count=0
test_failed=0

# valgrind by its full path: some tests run steady with a PATH of their own.
# No vgdb: its FIFOs in $TMPDIR would look like files steady left behind.
VALGRIND=$(command -v valgrind || echo valgrind)

steady() {
	if [ -n "${VALGRIND_STEADY:-}" ]; then
		"$VALGRIND" -q --vgdb=no --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite "$STEADY" "$@"
	else
		"$STEADY" "$@"
	fi
}

# steady_exec ARGS: replaces the current (sub)shell with steady, so that
# `(steady_exec ...) &` leaves $! naming steady itself, for signal tests.
steady_exec() {
	if [ -n "${VALGRIND_STEADY:-}" ]; then
		exec "$VALGRIND" -q --vgdb=no --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite "$STEADY" "$@"
	fi
	exec "$STEADY" "$@"
}

# process_gone PID: the process no longer runs (tests wait for it with
# wait_until: a SIGKILLed process can still show as running for a moment).
# A zombie counts as gone:
# an orphan is reparented to PID 1, which may reap it late.
process_gone() {
	local stat state
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	state=${stat##*) }
	state=${state%% *}
	[ "$state" = Z ] && return 0
	echo "process $1 still runs (state $state)"
	return 1
}

test_expect_success() {
	local title=$1 body=$2 out rc
	test_count=$((test_count + 1))
	out="$TEST_DIR/.out.$test_count"
	mkdir -p "$TEST_DIR/t$test_count"
	# What a failed body left running in the background is stopped.
	# fd 9 is the test's output too, for what test_expect_code says when
	# the command's own output is redirected to a file
	(trap 'kill $(jobs -p) 2>/dev/null' EXIT
	 cd "$TEST_DIR/t$test_count" && eval "$body") >"$out" 2>&1 9>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok $test_count - $TEST_NAME: $title"
	else
		echo "not ok $test_count - $TEST_NAME: $title"
		sed 's/^/#   /' "$out"
		test_failed=$((test_failed + 1))
	fi
}

# test_skip TITLE REASON: in place of a test that does not apply here (a
# tool missing, not root, under valgrind); counted as skipped, not passed.
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $TEST_NAME: $1 # SKIP $2"
}

# test_expect_code CODE CMD...: CMD must exit with CODE.
test_expect_code() {
	local want=$1 rc
	shift
	"$@"
	rc=$?
	if [ "$rc" != "$want" ]; then
		# (99 under valgrind: a memory error or leak, in the command's stderr)
		if { : >&9; } 2>/dev/null; then
			echo "expected exit code $want, got $rc from: $*" >&9
		else
			echo "expected exit code $want, got $rc from: $*"
		fi
		return 1
	fi
}

# drop_valgrind_notes FILE: takes valgrind's own lines out of a stderr
# file ("--PID-- WARNING: unhandled syscall", for a pidfd_open it does not
# know and steady does without): they are not steady's.
drop_valgrind_notes() {
	if [ -n "${VALGRIND_STEADY:-}" ] && grep -q '^--[0-9]*-- ' "$1"; then
		grep -v '^--[0-9]*-- ' "$1" >"$1.steady" || true
		mv "$1.steady" "$1"
	fi
}

# test_one_error_line FILE: FILE (captured stderr) is exactly one error line.
test_one_error_line() {
	local lines
	drop_valgrind_notes "$1"
	lines=$(wc -l <"$1")
	if [ "$lines" != 1 ] || ! grep -q '^steady: error: ' "$1"; then
		echo "expected one 'steady: error:' line on stderr, got $lines:"
		cat "$1"
		return 1
	fi
}

# json_values KEY FILE: the values of "KEY": in a results file, one a line.
# A run column of format 2 (docs/results-format.md) gives one line per run,
# whether it is written as an array, one value or {"first", "step"}.
# A loop over them passes on no values at all: test_count_is first.
json_values() {
	awk -v key="\"$1\":" '
	function unquote(s) { sub(/^"/, "", s); sub(/"$/, "", s); return s }
	{ line = $0; sub(/^ */, "", line) }
	line ~ /^"runs": [{]$/ { inruns = 1; n = 0; next }
	inruns && line ~ /^"count": / { sub(/^"count": /, "", line); n = line + 0; next }
	line ~ /^"summary": / { inruns = 0 }
	index(line, key " ") == 1 {
		v = substr(line, length(key) + 2); sub(/,$/, "", v)
		if (inruns && v ~ /^\[/) {
			gsub(/[][]/, "", v); c = split(v, a, ",")
			for (i = 1; i <= c; i++) print unquote(a[i])
		} else if (inruns && v ~ /^[{]"first"/) {
			split(v, a, /[^-0-9]+/)
			for (i = 0; i < n; i++) printf "%.0f\n", a[2] + i * a[3]
		} else if (inruns) {
			for (i = 0; i < n; i++) print unquote(v)
		} else {
			print unquote(v)
		}
	}' "$2"
}

# json_counts COUNTER PART FILE: the PART ("status", "value", "running_pct")
# of one counter's counts in a results file, one line per run.
json_counts() {
	awk -v name="\"$1\": {" -v key="\"$2\":" '
	function unquote(s) { sub(/^"/, "", s); sub(/"$/, "", s); return s }
	{ line = $0; sub(/^ */, "", line) }
	line ~ /^"runs": [{]$/ { inruns = 1; n = 0; next }
	inruns && line ~ /^"count": / { sub(/^"count": /, "", line); n = line + 0; next }
	inruns && line == name { incounter = 1; next }
	incounter && line ~ /^[}]/ { incounter = 0 }
	incounter && index(line, key " ") == 1 {
		v = substr(line, length(key) + 2); sub(/,$/, "", v)
		if (v ~ /^\[/) {
			gsub(/[][]/, "", v); c = split(v, a, ",")
			for (i = 1; i <= c; i++) print unquote(a[i])
		} else {
			for (i = 0; i < n; i++) print unquote(v)
		}
	}' "$3"
}

# test_count_is N CMD...: CMD prints exactly N lines (its exit status is
# not looked at: grep finding nothing prints 0 lines). Put it before every
# loop over CMD's output, so that a loop over nothing fails.
test_count_is() {
	local want=$1 out got
	shift
	out=$("$@")
	if [ -z "$out" ]; then
		got=0
	else
		got=$(printf '%s\n' "$out" | wc -l)
	fi
	if [ "$got" != "$want" ]; then
		echo "expected $want lines, got $got from: $*"
		[ -z "$out" ] || printf '%s\n' "$out"
		return 1
	fi
}

# wait_until SECONDS CMD...: runs CMD every 0.1 s until it succeeds, for
# about SECONDS (a whole number) at most; then fails, naming CMD and
# showing what it printed last. CMD's output is hidden while it fails.
wait_until() {
	local tries=$(($1 * 10)) limit=$1
	shift
	while ! "$@" >/dev/null 2>&1; do
		tries=$((tries - 1))
		if [ $tries -le 0 ]; then
			echo "timed out after $limit s waiting for: $*"
			"$@"
			return 1
		fi
		sleep 0.1
	done
}

# has_lines FILE N: FILE exists with at least N lines.
has_lines() {
	[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]
}

# stop_and_wait SIG PID: signals PID, a child of this shell, and gives it
# 20 s to end (a steady that ignores the signal fails the test instead of
# hanging it, and is killed); its exit status goes in $rc (no command
# substitution: only the parent shell can wait for PID).
stop_and_wait() {
	kill -"$1" "$2"
	if ! wait_until 20 process_gone "$2"; then
		kill -9 "$2"
		echo "still running 20 s after SIG$1" >&2
	fi
	wait "$2"
	rc=$?
}

# no_temp_files DIR: no temporary results file was left behind.
no_temp_files() {
	if ls -A "$1" | grep -q '\.tmp\.'; then
		echo "temporary files left in $1:"
		ls -A "$1"
		return 1
	fi
}

# test_cmp_files A B: the files are identical, else show the difference.
test_cmp_files() {
	diff -u "$1" "$2"
}

test_done() {
	[ $test_failed -eq 0 ]
}
