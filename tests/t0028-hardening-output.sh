#!/usr/bin/env bash
# The writing side of hardening (issue 17): an -o that cannot be written
# says why, and never costs what was measured. The results then go to
# $TMPDIR/steady-results.XXXXXX.json, named in one line on stderr
# (docs/results-format.md, "When -o cannot be written"); the previous -o
# file stays as it was. And SIGINT or SIGTERM at any moment of a measuring
# command keeps every completed run in valid JSON, with no process left.
. "$(dirname "$0")/lib.sh"

# json_run_count FILE: FILE parses as JSON (python3) and holds this many
# runs, summed over its benchmarks (warm-up included; none is asked for here).
json_run_count() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(sum(b["runs"]["count"] for b in d["benchmarks"]))' "$1"
}

# kept_file ERR: the file that ERR (captured stderr) says the results are kept in.
kept_file() {
	sed -n "s/^steady: the results ([0-9]* runs) not written to .* are kept in '\(.*\)'\$/\1/p" "$1"
}

# check_kept ERR DIR RUNS: ERR names exactly one kept file, in DIR, valid
# JSON with RUNS runs.
check_kept() {
	local kept
	test_count_is 1 kept_file "$1" || return 1
	kept=$(kept_file "$1")
	case "$kept" in
	"$2"/steady-results.*.json) ;;
	*) echo "kept in '$kept', not in $2"; return 1 ;;
	esac
	test "$(json_run_count "$kept")" = "$3" || {
		echo "'$kept' does not hold $3 runs:"; cat "$kept"; return 1
	}
}

if ! command -v python3 >/dev/null; then
	test_skip "the output hardening tests" "python3 missing (it checks the JSON)"
	test_done
	exit
fi

test_expect_success '-o /proc/version: the reason, not "No such file", before measuring' '
	test_expect_code 2 steady run -n 1 -o /proc/version -- "$HELPER" append ran.log 2>err &&
	test_one_error_line err &&
	grep "cannot write '\''/proc/version'\'': not a file steady can replace" err &&
	grep "a proc file system" err && ! grep -i "no such file" err &&
	test ! -e ran.log &&
	test_expect_code 2 steady run -n 1 -o /proc/steady-new -- "$HELPER" append ran.log 2>err &&
	test_one_error_line err && grep "no file can be created in '\''/proc'\''" err &&
	test ! -e ran.log
'

for sig in TERM INT; do
test_expect_success "a FIFO without a reader: SIG$sig ends the wait, exit 130, the runs kept" '
	mkfifo fifo && mkdir kept || return 1
	(TMPDIR=$PWD/kept steady_exec run -n 3 -o fifo -- "$HELPER" append ran.log >out 2>err) &
	pid=$! &&
	wait_until 20 grep -q "waiting for a reader of the FIFO '\''fifo'\''" err &&
	test $(wc -l <ran.log) = 3 &&
	stop_and_wait '$sig' $pid;
	test "$rc" = 130 &&
	grep "cannot write '\''fifo'\'': interrupted while waiting for a reader" err &&
	check_kept err "$PWD/kept" 3 &&
	grep "Benchmark:" out &&
	no_temp_files kept
'
done

test_expect_success 'a FIFO whose reader comes late gets the results' '
	mkfifo fifo && mkdir kept || return 1
	(TMPDIR=$PWD/kept steady_exec run -n 3 -o fifo -- "$HELPER" sleep 0 >out 2>err) &
	pid=$! &&
	wait_until 20 grep -q "waiting for a reader" err &&
	cat fifo >got &&
	wait $pid &&
	test "$(json_run_count got)" = 3 &&
	test -z "$(ls -A kept)"
'

test_expect_success '-o /dev/full: exit 2, the runs kept in $TMPDIR' '
	mkdir kept &&
	TMPDIR=$PWD/kept test_expect_code 2 steady run -n 3 -o /dev/full -- "$HELPER" sleep 0 >out 2>err &&
	grep "^steady: error: cannot write '\''/dev/full'\'': No space left on device" err &&
	check_kept err "$PWD/kept" 3 &&
	test $(wc -l <err) = 2
'

if [ -n "${VALGRIND_STEADY:-}" ]; then
	test_skip 'when $TMPDIR cannot be written either, one line says the results are lost' \
		"valgrind cannot start without a \$TMPDIR it can write"
else
test_expect_success 'when $TMPDIR cannot be written either, one line says the results are lost' '
	TMPDIR=$PWD/missing test_expect_code 2 steady run -n 3 -o /dev/full -- "$HELPER" sleep 0 >out 2>err &&
	grep "^steady: error: the results (3 runs) are lost: no file could be created in \$TMPDIR either" err &&
	test $(wc -l <err) = 2
'
fi

test_expect_success 'stat and compare keep their runs too, compare still gives its verdict' '
	mkdir kept &&
	TMPDIR=$PWD/kept test_expect_code 2 steady stat -n 2 -e page-faults -o /dev/full \
		-- "$HELPER" sleep 0 >out 2>err &&
	check_kept err "$PWD/kept" 2 &&
	TMPDIR=$PWD/kept test_expect_code 2 steady compare -n 2 -o /dev/full \
		-- "$HELPER sleep 0" "$HELPER sleep 1" >out 2>err &&
	check_kept err "$PWD/kept" 4 &&
	grep "^verdict: " out
'

# A file system that fills while steady measures: a tmpfs of 64 KiB in a
# mount namespace of its own, filled once the runs have started.
can_mount_tmpfs() {
	[ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
		unshare -m sh -c 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" &&
			umount "$d" && rmdir "$d"' 2>/dev/null
}
if ! can_mount_tmpfs; then
	test_skip "a disk that fills while measuring keeps the old file and the runs" \
		"needs root and unshare -m to mount a small tmpfs"
else
test_expect_success 'a disk that fills while measuring keeps the old file and the runs' '
	mkdir fs kept &&
	cat >inner.sh <<-\EOF &&
	mount -t tmpfs -o size=64k tmpfs fs || exit 1
	"$STEADY" run -n 3 -o fs/r.json -- "$HELPER" sleep 0 >/dev/null 2>&1 || exit 1
	cp fs/r.json old.json
	TMPDIR=$PWD/kept "$STEADY" run -n 300 -o fs/r.json -- "$HELPER" append ran.log sleep 2 \
		>out 2>err &
	pid=$!
	tries=200
	until [ -s ran.log ] || [ $((tries -= 1)) = 0 ]; do sleep 0.1; done
	# fill it: dd stops at "No space left on device"
	dd if=/dev/zero of=fs/fill bs=1k count=128 2>/dev/null
	wait $pid
	echo $? >rc
	cp fs/r.json after.json
	ls -A fs >left
	umount fs
	EOF
	STEADY=$STEADY HELPER=$HELPER unshare -m bash inner.sh &&
	test "$(cat rc)" = 2 &&
	grep "^steady: error: cannot write '\''fs/r.json'\'': No space left on device" err &&
	test_cmp_files old.json after.json &&
	test "$(json_run_count after.json)" = 3 &&
	check_kept err "$PWD/kept" 300 &&
	test_count_is 2 cat left && grep -x r.json left && grep -x fill left
'
fi

# The fault battery: a signal at several moments of each measuring command.
# Each benchmark is a link to the helper with a name of its own, so that
# pgrep finds any of its processes left behind.
# battery_case CMD SIG DELAY: steady CMD ... -o r.json of `-n 1000` runs of
# 5 ms, SIG DELAY seconds after the first run started.
battery_case() {
	local cmd=$1 sig=$2 delay=$3 mark runs started
	mark=$PWD/steady-t0028-mark-$$-$cmd-$sig-$delay
	ln -s "$HELPER" "$mark" || return 1
	case $cmd in
	run)	(steady_exec run -n 1000 -o r.json -- "$mark" append ran.log sleep 5 >out 2>err) & ;;
	stat)	(steady_exec stat -n 1000 -e page-faults -o r.json \
			-- "$mark" append ran.log sleep 5 >out 2>err) & ;;
	compare) (steady_exec compare -n 1000 -o r.json \
			-- "$mark append ran.log sleep 5" "$mark append ran.log sleep 5" >out 2>err) & ;;
	layout)	(steady_exec layout --perturb env --variants 2 -n 1000 -o r.json \
			-- "$mark append ran.log sleep 5" "$mark append ran.log sleep 5" >out 2>err) & ;;
	esac
	pid=$!
	wait_until 20 test -s ran.log || return 1
	sleep "$delay"
	stop_and_wait "$sig" $pid
	if [ "$rc" != 130 ]; then
		echo "$cmd: SIG$sig after $delay s: exit $rc, not 130"; cat err; return 1
	fi
	if pgrep -f "$mark" >/dev/null; then
		echo "$cmd: SIG$sig after $delay s: processes left:"; pgrep -af "$mark"; return 1
	fi
	runs=$(json_run_count r.json) || { echo "$cmd: r.json is not valid JSON"; return 1; }
	started=$(wc -l <ran.log)
	# every run completed is there: at most the one running was lost
	if [ "$runs" -lt $((started - 1)) ] || [ "$runs" -gt "$started" ]; then
		echo "$cmd: SIG$sig after $delay s: $runs runs in r.json, $started started"
		return 1
	fi
	if [ "$delay" = 1 ] && [ "$runs" -lt 1 ]; then
		echo "$cmd: SIG$sig after 1 s: no run kept"; return 1
	fi
	no_temp_files .
}

for cmd in run compare stat layout; do
	for sig in INT TERM; do
		test_expect_success "$cmd: SIG$sig at 0, 0.2, 0.5 and 1 s keeps every completed run, no orphan" '
			for delay in 0 0.2 0.5 1; do
				mkdir $delay && (cd $delay && battery_case '$cmd' '$sig' $delay) || return 1
			done
		'
	done
done

test_done
