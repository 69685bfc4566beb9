#!/usr/bin/env bash
# run-tests.sh: runs every unit test binary ($UNIT_DIR/test_*, cmocka in TAP
# mode) and every shell test (tests/t*.sh), then prints one closing line
# "N passed, N failed". Exit status 0 only when nothing failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${UNIT_DIR:?}" "${STEADY:?}" "${HELPER:?}" "${TOOLCHAIN_DRIVER:?}"
FIXTURES=$here/fixtures
export STEADY HELPER FIXTURES TOOLCHAIN_DRIVER

passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# tally NAME RC: adds up the TAP lines of one test binary or script in $log
# and prints its line. A skipped test counts as skipped whether it says "ok"
# or, as cmocka 1.1 does, "not ok ... # SKIP"; a binary or script that
# exited non-zero without a "not ok" line (a crash before or after its
# tests) counts as one more failure.
tally() {
	local name=$1 rc=$2 p f s
	s=$(grep -c '^\(not \)\?ok .*# SKIP' "$log")
	p=$(grep -v '# SKIP' "$log" | grep -c '^ok ')
	f=$(grep -v '# SKIP' "$log" | grep -c '^not ok ')
	# a skip is shown with its reason
	grep '^\(not \)\?ok .*# SKIP' "$log"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with $rc"
		f=1
	fi
	passed=$((passed + p))
	skipped=$((skipped + s))
	failed=$((failed + f))
	if [ "$s" -gt 0 ]; then
		echo "$name: $p ok, $s skipped"
	else
		echo "$name: $p ok"
	fi
}

for t in "$UNIT_DIR"/test_*; do
	[ -x "$t" ] || continue
	if [ -n "${VALGRIND_STEADY:-}" ]; then
		CMOCKA_MESSAGE_OUTPUT=TAP valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite "$t" >"$log" 2>&1
	else
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1
	fi
	rc=$?
	# Only a failing binary's output is shown: passing ones print the
	# expected error lines of their negative tests.
	[ $rc -ne 0 ] && cat "$log"
	tally "$(basename "$t")" $rc
done

for t in "$here"/t[0-9]*.sh; do
	bash "$t" >"$log" 2>&1
	rc=$?
	# what failed, with its output as comments
	grep -v '^ok ' "$log" || true
	tally "$(basename "$t" .sh)" $rc
done

if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
