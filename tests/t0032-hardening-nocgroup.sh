#!/usr/bin/env bash
# Issue 17, "escaped processes", where cgroup v2 is not writable (any
# unprivileged user): steady runs as `nobody` here. What a benchmark
# leaves behind with setsid is killed after its run (steady is the
# subreaper of its commands), and a steady killed with SIGKILL takes the
# process group of its running benchmark with it (the group guardian) —
# for run's posix_spawn path and stat's forked one — while the guardian
# itself never outlives a steady that ends normally (spawn.c,
# "Containment"). t0029-hardening-procs.sh covers the cgroup case.
. "$(dirname "$0")/lib.sh"

# How to be someone who cannot write cgroups: nobody when we are root,
# else ourselves when our own cgroup tree is not writable either.
unprivileged_runner() {
	local mnt
	if [ "$(id -u)" = 0 ]; then
		id nobody >/dev/null 2>&1 || return 1
		if command -v setpriv >/dev/null; then
			echo "setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
		elif command -v runuser >/dev/null; then
			echo "runuser -u nobody --"
		else
			return 1
		fi
		return 0
	fi
	mnt=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break;
		     if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
	if [ -n "$mnt" ] && mkdir "$mnt/steady-probe-$$" 2>/dev/null; then
		rmdir "$mnt/steady-probe-$$"
		return 1
	fi
	echo env
}

RUNNER=
SKIP_REASON=
if ! RUNNER=$(unprivileged_runner); then
	SKIP_REASON='cannot run steady unprivileged here (not root without cgroup access, or no nobody/setpriv/runuser)'
elif ! chmod 711 "$TEST_DIR" ||
     ! $RUNNER test -x "$STEADY" || ! $RUNNER test -x "$HELPER"; then
	SKIP_REASON="nobody cannot reach $STEADY or $HELPER"
elif ! command -v setsid >/dev/null; then
	SKIP_REASON='no setsid(1) to escape with'
fi

# as_nobody CMD...: CMD as the unprivileged user. The steady in CMD is
# $STEADY itself (valgrind is not passed through: it would be another
# program's containment under test).
as_nobody() {
	$RUNNER "$@"
}

# In a test's directory: let nobody write there (the place steady runs in
# must be nobody's to write: its helper files go there).
nobody_dir() {
	[ "$(id -u)" != 0 ] || chown "$(id -u nobody):$(id -g nobody)" .
}

# marked_helper NAME: a link to the helper whose path names this test and
# NAME, so pgrep -f "^$link" finds its processes and nothing else.
marked_helper() {
	ln -s "$HELPER" "$PWD/$1-$$" && echo "$PWD/$1-$$"
}

no_process() {
	! pgrep -f "^$1" >/dev/null
}

# escaped FILE: the "PID PGID" in FILE names a process out of steady's
# group: the leader of a group (and session) of its own.
escaped() {
	read -r pid pgid <"$1" && [ "$pid" = "$pgid" ]
}

run_tests() {
test_expect_success 'a command that escapes with setsid is killed after its run (run and stat)' '
	nobody_dir &&
	link=$(marked_helper escaper) &&
	# the script waits until its child has left the group, so the group
	# kill after its exit cannot be what stops the escaper
	printf "#!/bin/sh\nsetsid %s pgid \$1 sleep 60000 &\nwhile [ ! -s \$1 ]; do sleep 0.01; done\n" \
		"$link" >escape.sh &&
	chmod 755 escape.sh &&
	as_nobody "$STEADY" run -n 3 -- ./escape.sh run.pid >out 2>err &&
	escaped run.pid &&
	no_process "$link" &&
	as_nobody "$STEADY" stat -n 2 -- ./escape.sh stat.pid >out 2>err &&
	escaped stat.pid &&
	no_process "$link"
'

test_expect_success 'an escaper that escapes again and stops itself is killed too, all of it' '
	nobody_dir &&
	link=$(marked_helper deep) &&
	# the escaper (its own session) starts a second escaper and a child
	# in its group, then stops; after it is killed the second one comes
	# to steady as its subreaper in turn
	cat >deep.sh <<-EOF &&
	#!/bin/sh
	setsid sh -c "setsid $link pgid inner.pid sleep 60000 & $link pgid outer.pid sleep 60000 & kill -STOP \\\$\\\$" &
	while [ ! -s inner.pid ] || [ ! -s outer.pid ]; do sleep 0.01; done
	EOF
	chmod 755 deep.sh &&
	as_nobody "$STEADY" run -n 1 -- ./deep.sh >out 2>err &&
	escaped inner.pid &&
	no_process "$link" &&
	! pgrep -f "setsid $link" >/dev/null
'

test_expect_success 'run killed with SIGKILL: its command and its group die within seconds (the group guardian)' '
	nobody_dir &&
	link=$(marked_helper run-victim) || exit 1
	(exec $RUNNER "$STEADY" run -n 1 -- "$link" grandchild 60000 gc.pid pgid a.pid sleep 60000 >out 2>err) &
	pid=$! &&
	wait_until 20 test -s a.pid &&
	wait_until 5 test -s gc.pid &&
	stop_and_wait KILL $pid;
	test "$rc" = 137 &&
	wait_until 5 no_process "$link"
'

test_expect_success 'stat killed with SIGKILL: its command and its group die within seconds' '
	nobody_dir &&
	link=$(marked_helper stat-victim) || exit 1
	(exec $RUNNER "$STEADY" stat -n 1 -- "$link" grandchild 60000 gc.pid pgid a.pid sleep 60000 >out 2>err) &
	pid=$! &&
	wait_until 20 test -s a.pid &&
	wait_until 5 test -s gc.pid &&
	stop_and_wait KILL $pid;
	test "$rc" = 137 &&
	wait_until 5 no_process "$link"
'

# On one CPU the forked child's PR_SET_PDEATHSIG often kills the leader
# before the guardian looks: the group must be killed all the same.
test_expect_success 'stat killed with SIGKILL on one CPU: the group dies although its leader died first, 5 times' '
	command -v taskset >/dev/null || { echo "taskset (util-linux) needed"; exit 1; }
	nobody_dir &&
	for i in 1 2 3 4 5; do
		link=$(marked_helper pinned-$i) || exit 1
		(exec taskset -c 0 $RUNNER "$STEADY" stat -n 1 -- "$link" grandchild 60000 gc$i.pid \
			pgid a$i.pid sleep 60000 >out 2>err) &
		pid=$! &&
		wait_until 20 test -s a$i.pid &&
		wait_until 5 test -s gc$i.pid &&
		stop_and_wait KILL $pid;
		test "$rc" = 137 &&
		wait_until 5 no_process "$link" || return 1
	done
'

test_expect_success 'the guardian runs beside steady and is gone when steady ends (normally, or on SIGTERM)' '
	nobody_dir &&
	link=$(marked_helper guarded) || exit 1
	(exec $RUNNER "$STEADY" run -n 1 -- "$link" pgid a.pid sleep 4000 >out 2>err) &
	pid=$! &&
	wait_until 20 test -s a.pid &&
	# steady and its guardian: the same command line, the guardian no child of it
	test_count_is 2 pgrep -f -x "$STEADY run -n 1 -- $link pgid a.pid sleep 4000" &&
	test_count_is 0 pgrep -P $pid -f -x "$STEADY run -n 1 -- $link pgid a.pid sleep 4000" &&
	wait $pid &&
	# steady waits for its guardian at exit: nothing is left the moment it returns
	test_count_is 0 pgrep -f "^$STEADY run -n 1 -- $link" || exit 1
	(exec $RUNNER "$STEADY" run -n 5 -- "$link" pgid b.pid sleep 60000 >out 2>err) &
	pid=$! &&
	wait_until 20 test -s b.pid &&
	stop_and_wait TERM $pid;
	test "$rc" = 130 &&
	test_count_is 0 pgrep -f "^$STEADY run -n 5 -- $link" &&
	no_process "$link"
'

test_expect_success 'a child steady inherited (a job of the shell that exec'"'"'d it) is not killed' '
	nobody_dir &&
	link=$(marked_helper inherited) &&
	esc=$(marked_helper escaper) &&
	printf "#!/bin/sh\nsetsid %s pgid \$1 sleep 60000 &\nwhile [ ! -s \$1 ]; do sleep 0.01; done\n" \
		"$esc" >escape.sh &&
	chmod 755 escape.sh &&
	as_nobody sh -c "\"\$1\" pgid i.pid sleep 60000 & exec \"\$2\" run -n 3 -- ./escape.sh e.pid" \
		sh "$link" "$STEADY" >out 2>err &&
	wait_until 5 test -s i.pid &&
	escaped e.pid && no_process "$esc" &&
	pgrep -f "^$link" >/dev/null &&
	pkill -f "^$link"
'
}

if [ -n "$SKIP_REASON" ]; then
	for title in 'a command that escapes with setsid is killed after its run (run and stat)' \
		     'an escaper that escapes again and stops itself is killed too, all of it' \
		     'run killed with SIGKILL: its command and its group die within seconds (the group guardian)' \
		     'stat killed with SIGKILL: its command and its group die within seconds' \
		     'stat killed with SIGKILL on one CPU: the group dies although its leader died first, 5 times' \
		     'the guardian runs beside steady and is gone when steady ends (normally, or on SIGTERM)' \
		     "a child steady inherited (a job of the shell that exec'd it) is not killed"; do
		test_skip "$title" "$SKIP_REASON"
	done
else
	run_tests
fi

test_done
