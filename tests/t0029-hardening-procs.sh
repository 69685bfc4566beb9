#!/usr/bin/env bash
# Issue 17, "escaped processes" and "big imports": nothing a benchmark
# starts outlives steady's run of it (setsid included, where cgroup v2 is
# writable), a benchmark that stops itself is a failed run rather than a
# hang, a steady killed with SIGKILL leaves neither its command running
# nor trace's directory behind for long, and a compare of two very large
# hyperfine files says how its intervals were computed.
. "$(dirname "$0")/lib.sh"

# The cgroup v2 mount, when steady can make cgroups there (as spawn.c
# does: root, or a delegated hierarchy) and kill them whole (cgroup.kill).
cgroup2_writable() {
	local mnt probe
	mnt=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break;
		     if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
	[ -n "$mnt" ] || return 1
	probe="$mnt/steady-probe-$$"
	mkdir "$probe" 2>/dev/null || return 1
	[ -e "$probe/cgroup.kill" ]
	local ok=$?
	rmdir "$probe"
	[ $ok = 0 ] && echo "$mnt"
}
CGROUP2=$(cgroup2_writable) || CGROUP2=

# marked_helper NAME: a link to the helper whose path names this test and
# NAME, so pgrep -f "^$link" finds its processes and nothing else.
marked_helper() {
	ln -s "$HELPER" "$PWD/$1-$$" && echo "$PWD/$1-$$"
}

no_process() {
	! pgrep -f "^$1" >/dev/null
}

if [ -n "$CGROUP2" ] && command -v setsid >/dev/null; then
test_expect_success 'a command that escapes with setsid is killed after its run' '
	link=$(marked_helper escaper) &&
	printf "#!/bin/sh\nsetsid %s sleep 60000 &\n" "$link" >escape.sh &&
	chmod +x escape.sh &&
	steady run -n 3 -- ./escape.sh >out 2>err &&
	wait_until 5 no_process "$link" &&
	# and its cgroup is gone with it
	! ls -d "$CGROUP2"/steady-* 2>/dev/null | grep -q "steady-$$\$"
'
else
	test_skip 'a command that escapes with setsid is killed after its run' \
		'cgroup v2 not writable here (or no setsid): only the process group is killed'
fi

test_expect_success 'a command that stops itself is killed and reported, not waited for' '
	printf "#!/bin/sh\nkill -STOP \$\$\n" >stop.sh && chmod +x stop.sh &&
	test_expect_code 1 timeout 20 "$STEADY" run -n 5 -- ./stop.sh >out 2>err &&
	test_one_error_line err &&
	grep "command stopped itself (SIGSTOP): killed in measured run 1" err &&
	# with --timeout too: stopped, not timed out
	test_expect_code 1 timeout 20 "$STEADY" run -n 2 --timeout 1 -- ./stop.sh >out 2>err &&
	test_one_error_line err && grep "stopped itself (SIGSTOP): killed" err &&
	# the counted (forked) path
	test_expect_code 1 timeout 20 "$STEADY" stat -n 2 -- ./stop.sh >out 2>err &&
	test_one_error_line err && grep "stopped itself (SIGSTOP): killed" err
'

test_expect_success 'stat killed with SIGKILL: its command dies with it (PR_SET_PDEATHSIG)' '
	link=$(marked_helper stat-victim) || exit 1
	(steady_exec stat -n 1 -- "$link" pgid a.pid sleep 60000 >out 2>err) &
	pid=$! &&
	wait_until 20 test -s a.pid &&
	stop_and_wait KILL $pid;
	test "$rc" = 137 &&
	wait_until 5 no_process "$link"
'

if [ -n "$CGROUP2" ]; then
test_expect_success 'run killed with SIGKILL: its command is killed within seconds (the cgroup guardian)' '
	link=$(marked_helper run-victim) || exit 1
	(steady_exec run -n 1 -- "$link" pgid a.pid sleep 60000 >out 2>err) &
	pid=$! &&
	wait_until 20 test -s a.pid &&
	stop_and_wait KILL $pid;
	test "$rc" = 137 &&
	wait_until 5 no_process "$link" &&
	wait_until 5 test ! -e "$CGROUP2/steady-$pid"
'

test_expect_success 'a cgroup left by a steady killed with its guardian is emptied by the next steady' '
	link=$(marked_helper orphaned) || exit 1
	(steady_exec run -n 1 -- "$link" pgid a.pid sleep 60000 >out 2>err) &
	pid=$! &&
	wait_until 20 test -s a.pid &&
	# the guardian: the other steady with the same command line, not a child of it
	# (the end of the line only: under valgrind it starts with valgrind)
	guardian=$(pgrep -f "$STEADY run -n 1 -- $link pgid a.pid sleep 60000\$" | grep -vx "$pid") &&
	test_count_is 1 printf "%s\n" $guardian &&
	kill -9 $guardian && stop_and_wait KILL $pid;
	test "$rc" = 137 &&
	test -d "$CGROUP2/steady-$pid" &&
	pgrep -f "^$link" &&
	steady run -n 1 -- "$HELPER" sleep 0 >out 2>err &&
	wait_until 5 no_process "$link" &&
	test ! -e "$CGROUP2/steady-$pid"
'
else
	test_skip 'run killed with SIGKILL: its command is killed within seconds (the cgroup guardian)' \
		'cgroup v2 not writable here'
	test_skip 'a cgroup left by a steady killed with its guardian is emptied by the next steady' \
		'cgroup v2 not writable here'
fi

test_expect_success 'trace killed with SIGKILL: the next trace removes the directory it left' '
	mkdir tmp || exit 1
	(export TMPDIR=$PWD/tmp; steady_exec trace "$HELPER pgid a.pid sleep 60000" "$HELPER sleep 0" >out 2>err) &
	pid=$! &&
	wait_until 20 test -s a.pid &&
	stop_and_wait KILL $pid;
	test "$rc" = 137 &&
	ls -d tmp/steady-trace-$pid.* &&
	wait_until 5 process_gone "$(cut -d" " -f1 a.pid)" &&
	TMPDIR=$PWD/tmp steady trace "$HELPER sleep 0" "$HELPER sleep 0" >out 2>err &&
	test -z "$(ls -A tmp)"
'

test_expect_success 'two hyperfine files of 100 000 runs: compare says the mean interval is the delta method' '
	command -v python3 >/dev/null || { echo "python3 needed to write the files"; exit 1; }
	python3 -c "
import json, random
random.seed(17)
for n in (100000, 100):
    for name, scale in ((\"a\", 0.010), (\"b\", 0.0103)):
        t = [random.lognormvariate(0, 0.1) * scale for _ in range(n)]
        json.dump({\"results\": [{\"command\": name, \"mean\": sum(t) / n, \"times\": t}]},
                  open(\"%s%d.json\" % (name, n), \"w\"))
" &&
	steady compare a100000.json b100000.json >out 2>err &&
	grep "the mean.s interval by the delta method: 200000 runs are too many to bootstrap" out &&
	grep "^verdict: SLOWER" out &&
	# small files keep the bootstrap, and say nothing of it
	steady compare a100.json b100.json >out 2>err &&
	grep "^B vs A" out && ! grep "delta method" out
'

test_done
