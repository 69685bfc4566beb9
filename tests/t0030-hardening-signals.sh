#!/usr/bin/env bash
# Hardening (issue 17), the commands t0028 does not cover: SIGINT or
# SIGTERM at several moments of sweep, bisect and profile keeps every
# completed run (bisect: every finished step) in valid JSON, exits 130 and
# leaves no process and no temporary directory behind; profile interrupted
# before two runs a side still saves the runs done. And the $TMPDIR
# fallback of results files (docs/results-format.md, "When -o cannot be
# written") for trace -o, cache -o, profile -o and profile --folded.
. "$(dirname "$0")/lib.sh"

if ! command -v python3 >/dev/null; then
	test_skip "the signal and fallback hardening tests" "python3 missing (it checks the JSON)"
	test_done
	exit
fi

# json_runs FILE: FILE parses as JSON (python3); the runs it holds: a
# results file's (warm-up included), a profile's of both sides.
json_runs() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
if d["format"] == "steady-profile":
    print(len(d["a"]["runs"]) + (len(d["b"]["runs"]) if d["b"] else 0))
else:
    print(sum(b["runs"]["count"] for b in d["benchmarks"]))' "$1"
}

# json_steps FILE: FILE parses as JSON; the steps of a bisect log.
json_steps() {
	python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["steps"]))' "$1"
}

# kept_file ERR: the file ERR (stderr) says what was measured is kept in.
kept_file() {
	sed -n "s/^steady: .* not written to .* are kept in '\(.*\)'\$/\1/p" "$1"
}

# check_kept ERR GLOB FORMAT: ERR names exactly one kept file, matching
# GLOB, whose "format" is FORMAT.
check_kept() {
	local kept
	test_count_is 1 kept_file "$1" || return 1
	kept=$(kept_file "$1")
	case "$kept" in
	$2) ;;
	*) echo "kept in '$kept', not $2"; return 1 ;;
	esac
	python3 -c 'import json, sys
assert json.load(open(sys.argv[1]))["format"] == sys.argv[2]' "$kept" "$3" ||
		{ echo "'$kept' is not a $3 file:"; cat "$kept"; return 1; }
}

# A source tree with one file and a patch that changes it: sweep's and
# bisect's builds are `true {dir}`, the benchmark the helper itself.
mkdir "$TEST_DIR/proj" && echo a >"$TEST_DIR/proj/f" &&
printf '%s\n' '--- a/f' '+++ b/f' '@@ -1 +1 @@' '-a' '+b' >"$TEST_DIR/change.diff"

# battery_case CMD SIG DELAY: steady CMD of runs of 5 ms, too many to end
# by themselves, SIG DELAY seconds after the first run started. The
# benchmark is a link to the helper with a name of its own, so that pgrep
# finds any of its processes left behind. Runs in its own directory, with
# $TMPDIR there too.
battery_case() {
	local cmd=$1 sig=$2 delay=$3 mark runs started
	mark=$PWD/steady-t0030-mark-$$-$cmd-$sig-$delay
	ln -s "$HELPER" "$mark" && mkdir tmp || return 1
	export TMPDIR=$PWD/tmp
	case $cmd in
	sweep)	(steady_exec sweep --builds "$PWD/builds" --src "$TEST_DIR/proj" --build "true {dir}" \
			-L n=1,2 -n 1000 -o r.json -- "$mark append $PWD/ran.log sleep 5" >out 2>err) & ;;
	bisect)	(steady_exec bisect --builds "$PWD/builds" --src "$TEST_DIR/proj" \
			--patch "$TEST_DIR/change.diff" --build "true {dir}" -n 1000 \
			-- "$mark append $PWD/ran.log sleep 5" >out 2>err) & ;;
	profile) (steady_exec profile -w 0 -n 1000 -o r.json \
			"$mark append ran.log sleep 5" "$mark append ran.log sleep 5" >out 2>err) & ;;
	esac
	pid=$!
	wait_until 20 test -s ran.log || { cat err; return 1; }
	sleep "$delay"
	stop_and_wait "$sig" $pid
	if [ "$rc" != 130 ]; then
		echo "$cmd: SIG$sig after $delay s: exit $rc, not 130"; cat out err; return 1
	fi
	if pgrep -f "$mark" >/dev/null; then
		echo "$cmd: SIG$sig after $delay s: processes left:"; pgrep -af "$mark"; return 1
	fi
	if [ -n "$(ls -A tmp)" ]; then
		echo "$cmd: SIG$sig after $delay s: left in \$TMPDIR:"; ls -A tmp; return 1
	fi
	no_temp_files . || return 1
	if [ $cmd = bisect ]; then
		# the runs of a step are its answer: the log keeps every step
		# finished (none here: the whole change needs its 1000 rounds)
		steps=$(json_steps bisect.json) || { echo "bisect.json is not valid JSON"; return 1; }
		test "$steps" = "$(grep -c "^step " out)" &&
		grep "^interrupted: every finished step is in bisect.json; go on with --resume bisect.json$" out
		return
	fi
	runs=$(json_runs r.json) || { echo "$cmd: r.json is not valid JSON"; return 1; }
	started=$(wc -l <ran.log)
	# every run completed is there: at most the one running was lost
	if [ "$runs" -lt $((started - 1)) ] || [ "$runs" -gt "$started" ]; then
		echo "$cmd: SIG$sig after $delay s: $runs runs in r.json, $started started"
		return 1
	fi
	if [ "$delay" = 1 ] && [ "$runs" -lt 1 ]; then
		echo "$cmd: SIG$sig after 1 s: no run kept"; return 1
	fi
}

# Is sampling allowed here? A tiny profile says.
profile_skip=
if ! steady profile -w 0 -n 2 "$HELPER burn 5" >"$TEST_DIR/probe.out" 2>"$TEST_DIR/probe.err"; then
	profile_skip="perf_event_open sampling refused: $(head -n1 "$TEST_DIR/probe.err")"
fi

for cmd in sweep bisect profile; do
	for sig in INT TERM; do
		title="$cmd: SIG$sig at 0, 0.2, 0.5 and 1 s keeps every completed run, no orphan"
		if [ $cmd = profile ] && [ -n "$profile_skip" ]; then
			test_skip "$title" "$profile_skip"
			continue
		fi
		test_expect_success "$title" '
			for delay in 0 0.2 0.5 1; do
				mkdir $delay && (cd $delay && battery_case '$cmd' '$sig' $delay) || return 1
			done
		'
	done
done

if [ -n "$profile_skip" ]; then
	test_skip "profile interrupted before two runs a side saves the runs done" "$profile_skip"
	test_skip "profile -o and --folded that cannot be written: kept in \$TMPDIR" "$profile_skip"
else
test_expect_success 'profile interrupted before two runs a side saves the runs done' '
	(steady_exec profile -w 0 -n 5 -o p.json --folded "$PWD/fg" \
		"$HELPER append ran.log sleep 2000" "$HELPER sleep 1" >out 2>err) &
	pid=$! &&
	wait_until 20 test -s ran.log &&
	stop_and_wait INT $pid;
	test "$rc" = 130 &&
	# B may have run once, before A (the order of a round is drawn)
	b=$(sed -n "s/^steady: interrupted with 0 runs of A and \([01]\) of B done: too few for estimates (2 runs a side); the runs are saved without them$/\1/p" err) &&
	test -n "$b" && test "$(json_runs p.json)" = "$b" &&
	python3 -c "import json
d = json.load(open(\"p.json\"))
assert d[\"functions\"] == [] and d[\"family\"] == 0, d
assert d[\"wall_ratio\"] == {\"ratio\": None, \"lo\": None, \"hi\": None}, d" &&
	test -e fg.a.folded && test -e fg.b.folded && test -e fg.diff.folded &&
	! grep "^function" out || return 1
	# one run of A done, B not yet: that run is kept
	(steady_exec profile -w 0 -n 5 -o p1.json "$HELPER append one.log sleep 1" \
		"$HELPER append two.log sleep 2000" >out1 2>err1) &
	pid=$! &&
	wait_until 20 test -s two.log &&
	stop_and_wait TERM $pid;
	test "$rc" = 130 &&
	python3 -c "import json
d = json.load(open(\"p1.json\"))
assert [len(d[\"a\"][\"runs\"]), len(d[\"b\"][\"runs\"])] == [$(cat one.log 2>/dev/null | wc -l), 0], d" &&
	grep "^steady: interrupted with [01] runs of A and 0 of B done" err1
'

test_expect_success 'profile -o and --folded that cannot be written: kept in $TMPDIR' '
	mkdir kept fold &&
	TMPDIR=$PWD/kept test_expect_code 2 steady profile -w 0 -n 2 -o /dev/full "$HELPER burn 5" >out 2>err &&
	grep "^steady: error: cannot write '\''/dev/full'\'': No space left on device" err &&
	grep "^steady: the samples of 2 runs not written to '\''/dev/full'\'' are kept in " err &&
	check_kept err "$PWD/kept/steady-profile.*.json" steady-profile &&
	test "$(json_runs "$(kept_file err)")" = 2 &&
	grep "^samples: " out || return 1
	# the folded files directory goes away while it measures
	(TMPDIR=$PWD/kept steady_exec profile -w 0 -n 2 -o p.json --folded "$PWD/fold/fg" \
		"$HELPER append ran.log sleep 3000" >out2 2>err2) &
	pid=$! &&
	wait_until 20 test -s ran.log && rmdir fold &&
	{ wait $pid; rc=$?; } &&
	test "$rc" = 2 &&
	grep "^steady: error: cannot write '\''$PWD/fold/fg.a.folded'\''" err2 &&
	grep "^steady: the folded stacks of A not written to '\''$PWD/fold/fg.a.folded'\'' are kept in '\''$PWD/kept/steady-folded.a.[^/]*.folded'\''$" err2 &&
	test "$(json_runs p.json)" = 2
'
fi

test_expect_success 'trace -o that cannot be written: the counts kept in $TMPDIR, the report printed' '
	mkdir kept &&
	TMPDIR=$PWD/kept test_expect_code 2 steady trace --no-libcalls -o /dev/full "$HELPER writes 3" "$HELPER writes 5" \
		>out 2>err &&
	grep "^steady: error: cannot write '\''/dev/full'\'': No space left on device" err &&
	grep "^steady: the trace counts not written to '\''/dev/full'\'' are kept in " err &&
	check_kept err "$PWD/kept/steady-trace.*.json" steady-trace &&
	test -s out &&
	# $TMPDIR missing too: one line says they are lost (valgrind itself
	# cannot start without a $TMPDIR it can write)
	if [ -z "${VALGRIND_STEADY:-}" ]; then
		TMPDIR=$PWD/missing test_expect_code 2 steady trace --no-libcalls -o /dev/full \
			"$HELPER writes 3" "$HELPER writes 5" >out 2>err &&
		grep "^steady: error: the trace counts are lost: no file could be created in \$TMPDIR either" err
	fi
'

if ! command -v valgrind >/dev/null; then
	test_skip 'cache -o that cannot be written: the counts kept in $TMPDIR' "valgrind missing"
else
test_expect_success 'cache -o that cannot be written: the counts kept in $TMPDIR, the report printed' '
	mkdir kept &&
	TMPDIR=$PWD/kept test_expect_code 2 steady cache -o /dev/full "$HELPER work 1000" \
		"$HELPER work 2000" >out 2>err &&
	grep "^steady: error: cannot write '\''/dev/full'\'': No space left on device" err &&
	grep "^steady: the Cachegrind counts not written to '\''/dev/full'\'' are kept in " err &&
	check_kept err "$PWD/kept/steady-cache.*.json" steady-cache &&
	grep "^A: " out &&
	# only the kept file and no Cachegrind directory is left
	test_count_is 1 ls kept
'
fi

test_done
