#!/usr/bin/env bash
# More hardening (issue 17): a live compare, run or stat that measured
# nothing of a command (every run timed out) says so in one error line
# and keeps its runs; tune's state file is never written through a
# symlink planted under --root; CPU lists are bounded.
. "$(dirname "$0")/lib.sh"

test_expect_success 'live compare -i: a side whose runs all timed out is one error naming it, exit 1, no UNRESOLVED verdict, the runs saved' '
	test_expect_code 1 steady compare -i --timeout 0.5 --max-runs 4 -o c.json -- \
		"$HELPER sleep 0" "$HELPER sleep 30000" >out 2>err &&
	test_one_error_line err &&
	grep "nothing to compare: side B (.*sleep 30000.) has no measured runs (its 4 runs all timed out)" err &&
	! grep -i "verdict\|UNRESOLVED" out &&
	test $(json_values timed_out c.json | grep -c true) = 4 &&
	test_expect_code 1 steady compare -i --timeout 0.1 --max-runs 3 -- \
		"$HELPER sleep 30000" "$HELPER sleep 0" >out 2>err &&
	test_one_error_line err && grep "nothing to compare: side A (.*sleep 30000.)" err
'

test_expect_success 'live compare -i, adaptive: a command with no measured run in --min-runs rounds ends measuring there' '
	test_expect_code 1 steady compare -i --timeout 0.1 --min-runs 3 -o c.json -- \
		"$HELPER sleep 0" "$HELPER sleep 30000" >out 2>err &&
	test_one_error_line err &&
	grep "side B (.*sleep 30000.) has no measured runs (its 3 runs all timed out)" err &&
	test $(json_values timed_out c.json | grep -c true) = 3 &&
	test_expect_code 1 steady compare -i --timeout 0.1 --min-runs 3 -- \
		"$HELPER sleep 0" "$HELPER sleep 30000" "$HELPER sleep 0" >out 2>err &&
	test_one_error_line err && grep "command 2 (.*sleep 30000.) has no measured runs (its 3 runs" err &&
	grep "final look (1) once a command had no measured run in --min-runs rounds" out
'

test_expect_success 'live compare without -i: the timed-out run is the one error line, exit 1, no UNRESOLVED verdict' '
	test_expect_code 1 steady compare --timeout 0.1 -o c.json -- \
		"$HELPER sleep 30000" "$HELPER sleep 0" >out 2>err &&
	test_one_error_line err && grep "timed out after 0.1 s in measured run 1" err &&
	! grep -i "verdict\|UNRESOLVED" out &&
	test "$(json_values stop_reason c.json | sort -u)" = failed
'

test_expect_success 'live compare of three: the rows measured keep their verdicts, the command with none is one error naming it' '
	test_expect_code 1 steady compare -i --timeout 0.5 --max-runs 4 -o c.json -- \
		"$HELPER sleep 0" "$HELPER sleep 1" "$HELPER sleep 30000" >out 2>err &&
	test_one_error_line err &&
	grep "nothing to compare: command 3 (.*sleep 30000.) has no measured runs" err &&
	grep "^2 .* sleep 1$" out && grep "timed-out runs are left out" out &&
	test $(json_values timed_out c.json | grep -c true) = 4 &&
	test_expect_code 1 steady compare -i --timeout 0.1 --max-runs 3 --baseline 2 -- \
		"$HELPER sleep 0" "$HELPER sleep 30000" "$HELPER sleep 1" >out 2>err &&
	test_one_error_line err && grep "command 2, the baseline, (.*sleep 30000.)" err
'

test_expect_success 'run and stat -i: every run timed out is one error line naming the command, exit 1, the runs saved' '
	for cmd in run stat; do
		test_expect_code 1 steady $cmd -i -n 3 --timeout 0.1 -o r.json -- \
			"$HELPER" sleep 30000 >out 2>err &&
		test_one_error_line err &&
		grep "no measured runs of .*sleep 30000.: all its 3 runs timed out (--timeout 0.1 s)" err &&
		test $(json_values timed_out r.json | grep -c true) = 3 || return 1
	done &&
	test_expect_code 1 steady run -i -n 2 --timeout 0.1 "$HELPER sleep 30000" "$HELPER sleep 0" >out 2>err &&
	test_one_error_line err && grep "sleep 30000.: no measured runs$" out && ! grep nan out &&
	steady run -i -n 2 --timeout 5 -- "$HELPER" sleep 0 >out 2>err &&
	drop_valgrind_notes err && test ! -s err
'

test_expect_success 'run and stat -i, adaptive: a command with no measured run in --min-runs rounds ends measuring there' '
	for cmd in run stat; do
		test_expect_code 1 steady $cmd -i --min-runs 3 --timeout 0.1 -o r.json -- \
			"$HELPER" sleep 30000 >out 2>err &&
		test_one_error_line err &&
		grep "no measured runs of .*sleep 30000.: all its 3 runs timed out" err &&
		test $(json_values timed_out r.json | grep -c true) = 3 || return 1
	done
'

test_expect_success '--cpu: a CPU numbered 1024 or more (CPU_SETSIZE) is one error line naming the limit, nothing run' '
	for list in 1024 0-1024 0-99999999 99999999999999999999; do
		test_expect_code 2 steady run -n 1 --cpu $list -o r.json -- "$HELPER" sleep 0 >out 2>err &&
		test_one_error_line err && grep "invalid value for --cpu: .$list. (expected a CPU list of CPUs below 1024" err &&
		test ! -e r.json || return 1
	done
'

STATE=/var/lib/steady/system-state.json
C=/sys/devices/system/cpu

# put ROOT PATH VALUE: a file of the fake tree.
put() {
	mkdir -p "$(dirname "$1$2")" && printf '%s\n' "$3" >"$1$2"
}

# A small machine with one thing tune changes: CPU 0's governor.
make_tree() {
	put "$1" $C/online 0
	put "$1" $C/cpu0/cpufreq/scaling_governor powersave
	put "$1" $C/cpu0/cpufreq/scaling_min_freq 3000000
	put "$1" $C/cpu0/cpufreq/scaling_max_freq 3000000
	put "$1" /proc/sys/kernel/randomize_va_space 2
}

# tune_refused ROOT: tune exits 2 with one error line (in err) naming a
# link, and has changed no knob.
tune_refused() {
	test_expect_code 2 steady system tune --root "$PWD/$1" >out 2>err &&
	test_one_error_line err && grep "symbolic link\|not a regular file" err &&
	test "$(cat "$1$C/cpu0/cpufreq/scaling_governor")" = powersave
}

if [ "$(id -u)" != 0 ]; then
	test_skip 'tune and reset never reach the state through a symbolic link' 'tune and reset need root'
else

test_expect_success 'tune: a link planted on the way to the state file is refused before any knob changes, nothing written outside' '
	make_tree r && mkdir elsewhere &&
	mkdir -p r/var && ln -s "$PWD/elsewhere" r/var/lib &&
	tune_refused r && grep "refusing to write .*$STATE.: .lib. is a symbolic link below the root" err &&
	test -z "$(ls -A elsewhere)" &&
	rm r/var/lib && mkdir -p r/var/lib && ln -s "$PWD/elsewhere" r/var/lib/steady &&
	tune_refused r && grep ".steady. is a symbolic link" err && test -z "$(ls -A elsewhere)" &&
	rm -r r/var && ln -s "$PWD/elsewhere" r/var &&
	tune_refused r && grep ".var. is a symbolic link" err && test -z "$(ls -A elsewhere)"
'

test_expect_success 'tune: a link, a FIFO or a directory at the state file itself is refused, the link and its target unchanged' '
	make_tree r && echo precious >victim && cp victim victim.orig &&
	mkdir -p r/var/lib/steady && ln -s "$PWD/victim" r$STATE &&
	tune_refused r && grep "refusing to write .*$STATE.: it is a symbolic link" err &&
	test_cmp_files victim.orig victim && test -L r$STATE &&
	rm r$STATE && ln -s "$PWD/nothing-here" r$STATE &&
	tune_refused r && test ! -e nothing-here &&
	rm r$STATE && mkfifo r$STATE &&
	{ timeout 10 "$STEADY" system tune --root "$PWD/r" >out 2>err; rc=$?; } &&
	test $rc = 2 && test_one_error_line err && grep "not a regular file" err &&
	test "$(cat r$C/cpu0/cpufreq/scaling_governor)" = powersave &&
	rm r$STATE && mkdir r$STATE && tune_refused r && test -d r$STATE
'

test_expect_success 'tune: the state directories made 0755 and the file 0644 whatever the umask, no temporary file left; reset removes it' '
	make_tree r &&
	for mask in 0 077; do
		rm -rf r/var &&
		(umask $mask && steady system tune --root "$PWD/r" >out) &&
		test "$(stat -c %a r/var/lib/steady)" = 755 && test "$(stat -c %a r/var/lib)" = 755 &&
		test "$(stat -c %a r$STATE)" = 644 &&
		test "$(ls -A r/var/lib/steady)" = system-state.json &&
		test "$(cat r$C/cpu0/cpufreq/scaling_governor)" = performance &&
		steady system reset --root "$PWD/r" >out &&
		test "$(cat r$C/cpu0/cpufreq/scaling_governor)" = powersave &&
		test -z "$(ls -A r/var/lib/steady)" || return 1
	done
'

# A read-only file system where the state goes: a tmpfs mounted read-only
# in a mount namespace of the test's own.
if unshare -m true 2>/dev/null; then
test_expect_success 'tune: a state that cannot be written (read-only) is one line before any knob changes' '
	make_tree r && mkdir -p r/var/lib &&
	test_expect_code 2 unshare -m sh -c "mount -t tmpfs -o ro none r/var/lib && exec \"\$0\" system tune --root \"\$1\"" \
		"$STEADY" "$PWD/r" >out 2>err &&
	test_one_error_line err && grep "cannot write .*$STATE.: Read-only file system" err &&
	test "$(cat r$C/cpu0/cpufreq/scaling_governor)" = powersave
'
else
	test_skip 'tune: a state that cannot be written (read-only) is one line before any knob changes' \
		'no mount namespace here (unshare -m)'
fi

test_expect_success 'reset: a state reached through a symbolic link to its directory is refused, kept, and nothing restored' '
	make_tree r &&
	steady system tune --root "$PWD/r" >out &&
	mv r/var/lib/steady elsewhere && ln -s "$PWD/elsewhere" r/var/lib/steady &&
	test_expect_code 2 steady system reset --root "$PWD/r" >out 2>err &&
	test_one_error_line err &&
	grep "refusing to read .*$STATE.: .steady. is a symbolic link below the root" err &&
	test "$(cat r$C/cpu0/cpufreq/scaling_governor)" = performance &&
	test -s elsewhere/system-state.json
'

fi

test_expect_success 'trace does not wait for a child it inherited (a job of the shell that exec'"'"'d it)' '
	timeout 30 sh -c "sleep 60 & echo \$! >job.pid; exec \"\$0\" trace --no-libcalls true true" \
		"$STEADY" >out 2>err; rc=$?
	kill $(cat job.pid) 2>/dev/null
	test $rc = 0 && grep "^System calls: " out
'

test_done
