#!/usr/bin/env bash
# Files steady writes (lib/atomic_file.c): a read-only directory fails with
# one line and leaves the old file and no temporary file, for every command
# that writes one; a FIFO is written in place; every JSON kind opens with
# "format", "version" and "steady_version".
. "$(dirname "$0")/lib.sh"

FIXTURES=$(cd "$(dirname "$0")/fixtures" && pwd)

# Root may write into any directory: run steady as nobody where possible.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	unprivileged() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	as_root=1
else
	unprivileged() { "$@"; }
	as_root=
fi

# ro_setup: bin/steady, the fixtures in ., and ro/ (read-only) holding
# old.json, old.md and old.csv, each containing "old".
ro_setup() {
	mkdir -p bin ro && cp "$STEADY" "$HELPER" bin/ &&
	cp "$FIXTURES/pyperf/mult_list_py36.json" a.json &&
	cp "$FIXTURES/pyperf/mult_list_py37.json" b.json &&
	cp "$FIXTURES/cachegrind/work-ref.out" ref.out &&
	cp "$FIXTURES/cachegrind/work-plus10.out" plus.out &&
	for f in old.json old.md old.csv; do echo old >ro/$f || return 1; done &&
	chmod 755 . bin && chmod 644 ./*.json ./*.out && chmod 555 ro
}

old_files_intact() {
	for f in old.json old.md old.csv; do
		test "$(cat ro/$f)" = old || { echo "ro/$f changed"; return 1; }
	done
	no_temp_files ro
}

if [ -n "$as_root" ] || [ "$(id -u)" != 0 ]; then
test_expect_success 'read-only directory: compare exports and -o fail with one line, old files kept' '
	ro_setup &&
	test_expect_code 2 unprivileged bin/steady compare --export-markdown ro/old.md a.json b.json \
		>/dev/null 2>err && test_one_error_line err && grep "ro/old.md" err &&
	test_expect_code 2 unprivileged bin/steady compare --export-csv ro/new.csv a.json b.json \
		>/dev/null 2>err && test_one_error_line err &&
	test ! -e ro/new.csv &&
	old_files_intact
'

test_expect_success 'read-only directory: cache -o and trace -o fail with one line, old files kept' '
	ro_setup &&
	test_expect_code 2 unprivileged bin/steady cache --profiles -o ro/old.json ref.out plus.out \
		>/dev/null 2>err && test_one_error_line err && grep "ro/old.json" err &&
	test_expect_code 2 unprivileged bin/steady trace -o ro/old.json \
		"bin/steady-helper writes 1" "bin/steady-helper writes 2" >/dev/null 2>err &&
	test_one_error_line err &&
	old_files_intact
'
else
test_skip 'read-only directory: compare exports and -o' 'root without setpriv'
test_skip 'read-only directory: cache -o and trace -o' 'root without setpriv'
fi

test_expect_success 'trace -o to a FIFO is written in place, never replaced by a file' '
	mkfifo p && { cat p >got & } &&
	steady trace -o p "$HELPER writes 1" "$HELPER writes 2" >/dev/null &&
	wait && test -p p && grep "\"format\": \"steady-trace\"" got
'

test_expect_success 'a file replaced by -o is whole and leaves no temporary file' '
	echo old >c.json &&
	steady cache --profiles -o c.json "$FIXTURES/cachegrind/work-ref.out" \
		"$FIXTURES/cachegrind/work-plus10.out" >/dev/null &&
	test "$(tail -c 2 c.json | od -An -c | tr -d " ")" = "}\\n" &&
	! grep -q "^old" c.json && no_temp_files .
'

test_expect_success 'every JSON file opens with format, version, steady_version' '
	steady cache --profiles -o c.json "$FIXTURES/cachegrind/work-ref.out" \
		"$FIXTURES/cachegrind/work-plus10.out" >/dev/null &&
	steady trace -o t.json "$HELPER writes 1" "$HELPER writes 2" >/dev/null &&
	steady run -n 2 -o r.json -- "$HELPER" exit 0 >/dev/null &&
	for f in c.json t.json r.json; do
		head -4 $f | sed -n "2s/\":.*//p;3s/\":.*//p;4s/\":.*//p" | tr -d " \"" >keys &&
		printf "format\nversion\nsteady_version\n" >want &&
		test_cmp_files want keys || { echo "in $f"; return 1; }
	done &&
	! grep format_version t.json
'

test_expect_success '-o r.json >r.json keeps the results; -o /dev/stdout >r.json holds only them' '
	steady run -n 3 -o r.json -- "$HELPER" exit 0 >r.json &&
	head -c 1 r.json | grep -qx "{" &&
	steady run -n 3 -o q.json -- "$HELPER" exit 0 >/dev/null &&
	steady compare r.json q.json >/dev/null &&
	steady run -n 3 -o /dev/stdout -- "$HELPER" exit 0 >s.json 2>err &&
	head -n 1 s.json | grep -qx "{" &&
	! grep -q "^Benchmark: " s.json &&
	grep -q "^Benchmark: " err &&
	steady compare s.json q.json >/dev/null &&
	test -L /dev/stdout
'

test_done
