#!/usr/bin/env bash
# run-tests.sh: runs every unit test binary ($UNIT_DIR/test_*, cmocka in TAP
# mode) and every shell test (tests/t*.sh), then prints one closing line
# "N passed, N failed". Exit status 0 only when nothing failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${UNIT_DIR:?}" "${STEADY:?}" "${HELPER:?}"
FIXTURES=$here/fixtures
export STEADY HELPER FIXTURES

passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() {
	local p f s
	p=$(grep -c '^ok ' "$log")
	s=$(grep -c '^ok .*# SKIP' "$log")
	f=$(grep -c '^not ok ' "$log")
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
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
	count
	# A crash before cmocka printed its plan still counts as a failure.
	if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$log"; then
		echo "not ok - $(basename "$t") exited with $rc"
		failed=$((failed + 1))
	fi
	echo "$(basename "$t"): $(grep -c '^ok ' "$log") ok"
done

for t in "$here"/t[0-9]*.sh; do
	bash "$t" >"$log" 2>&1
	rc=$?
	grep -v '^ok ' "$log" || true
	count
	if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$log"; then
		echo "not ok - $(basename "$t") exited with $rc"
		failed=$((failed + 1))
	fi
	echo "$(basename "$t" .sh): $(grep -c '^ok ' "$log") ok"
done

if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
