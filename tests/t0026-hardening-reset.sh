#!/usr/bin/env bash
# Hardening (issue 17): `steady system reset` writes back only the knobs
# tune manages (src/system/knobs.c), never through a symbolic link, never
# creating or truncating a file, and only from a state file that root alone
# could have written — each hostile state or tree refused with one line and
# nothing written. Then every command with stdin, stdout or stderr closed:
# no crash, the same exit code as with them open, and (run with STEADY set
# to the sanitizer build) no leak or error report.
. "$(dirname "$0")/lib.sh"

STATE=/var/lib/steady/system-state.json
C=/sys/devices/system/cpu

# put ROOT PATH VALUE: a file of the fake tree.
put() {
	mkdir -p "$(dirname "$1$2")" && printf '%s\n' "$3" >"$1$2"
}

# A small untuned machine: two CPUs and the knobs reset may touch.
make_tree() {
	local r=$1 cpu
	put "$r" $C/online 0-1
	for cpu in 0 1; do
		put "$r" $C/cpu$cpu/cpufreq/scaling_governor performance
		put "$r" $C/cpu$cpu/cpufreq/scaling_min_freq 3000000
		put "$r" $C/cpu$cpu/online 1
	done
	put "$r" /proc/sys/kernel/randomize_va_space 2
	put "$r" /proc/sys/kernel/core_pattern core
	put "$r" /sys/kernel/mm/transparent_hugepage/enabled "always [madvise] never"
	put "$r" /sys/kernel/mm/transparent_hugepage/defrag "madvise"
}

# save_state ROOT 'ENTRY, ENTRY...': a state file as tune writes it
# (root's, mode 0644), each ENTRY '{"check": ..., "path": ..., "value": ...}'.
save_state() {
	mkdir -p "$1/var/lib/steady" &&
	printf '{"format": "steady-system-state", "version": 1, "saved": [%s]}\n' "$2" \
		>"$1$STATE" &&
	chmod 0644 "$1$STATE"
}

# entry CHECK PATH VALUE: one saved value, as JSON.
entry() {
	printf '{"check": "%s", "path": "%s", "value": "%s"}' "$1" "$2" "$3"
}

# refused ROOT: reset exits 2 with one error line (in err) and keeps the state.
refused() {
	test_expect_code 2 steady system reset --root "$PWD/$1" >out 2>err &&
	test_one_error_line err &&
	! grep -q "^Restoring" out &&
	test -e "$1$STATE"
}

# A victim outside the tree that a hostile state or tree aims at, and its
# copy to show it was not written.
make_victim() {
	echo precious >victim && cp victim victim.orig
}
victim_intact() {
	test_cmp_files victim.orig victim
}

if [ "$(id -u)" != 0 ]; then
	test_skip 'reset refuses hostile state files and trees' 'reset needs root (and chown to nobody)'
else

test_expect_success 'a sane state is restored through the kernel-shaped cpufreq link' '
	make_tree r &&
	# the kernel links cpuN/cpufreq to ../cpufreq/policyN: reset must pass it
	mkdir -p r$C/cpufreq &&
	mv r$C/cpu0/cpufreq r$C/cpufreq/policy0 &&
	ln -s ../cpufreq/policy0 r$C/cpu0/cpufreq &&
	save_state r "$(entry cpu-governor $C/cpu0/cpufreq/scaling_governor powersave),
		$(entry aslr /proc/sys/kernel/randomize_va_space 0),
		$(entry thp /sys/kernel/mm/transparent_hugepage/enabled always)" &&
	steady system reset --root "$PWD/r" >out &&
	grep "^Restoring:" out &&
	test "$(cat r$C/cpufreq/policy0/scaling_governor)" = powersave &&
	test "$(cat r/proc/sys/kernel/randomize_va_space)" = 0 &&
	# written over a longer value, cut after it: the file reads as the kernel would
	test "$(cat r/sys/kernel/mm/transparent_hugepage/enabled)" = always &&
	test ! -e r$STATE &&
	# tune goes the same way, and reset brings it back
	steady system tune --root "$PWD/r" >out &&
	grep "cpu0/cpufreq/scaling_governor: powersave -> performance" out &&
	test "$(cat r$C/cpufreq/policy0/scaling_governor)" = performance &&
	steady system reset --root "$PWD/r" >out &&
	test "$(cat r$C/cpufreq/policy0/scaling_governor)" = powersave &&
	test -L r$C/cpu0/cpufreq
'

test_expect_success 'a state naming /proc/self/root/... is refused, nothing written' '
	make_tree r && make_victim &&
	mkdir -p r/proc/self && ln -s / r/proc/self/root &&
	save_state r "$(entry aslr "/proc/self/root$PWD/victim" 0)" &&
	refused r && grep "not a file steady system tune writes" err &&
	victim_intact
'

test_expect_success 'a path with .. is refused, nothing written' '
	make_tree r && make_victim &&
	save_state r "$(entry aslr "/proc/sys/kernel/../../../../victim" 0)" &&
	refused r && victim_intact &&
	save_state r "$(entry smt "$C/cpu0/cpufreq/../online" 0)" &&
	refused r && test "$(cat r$C/cpu0/online)" = 1 &&
	save_state r "$(entry aslr "/proc/sys/kernel//randomize_va_space" 0)" &&
	refused r && test "$(cat r/proc/sys/kernel/randomize_va_space)" = 2
'

test_expect_success 'a knob not in the list, or saved by the wrong check, or an odd number, is refused' '
	make_tree r && cp -a r before &&
	save_state r "$(entry aslr /proc/sys/kernel/core_pattern "|/bin/sh")" &&
	refused r && grep "core_pattern., not a file steady system tune writes" err &&
	save_state r "$(entry thp /sys/kernel/mm/transparent_hugepage/defrag always)" &&
	refused r &&
	save_state r "$(entry cpu-governor /proc/sys/kernel/randomize_va_space 0)" &&
	refused r && grep "not written by that check" err &&
	save_state r "$(entry smt $C/cpu01/online 0)" && refused r &&
	save_state r "$(entry smt $C/cpu+1/online 0)" && refused r &&
	save_state r "$(entry smt $C/cpu1/online/ 0)" && refused r &&
	rm -r r/var && diff -r before r
'

test_expect_success 'a value that is not one line of plain text is refused' '
	make_tree r &&
	save_state r "$(entry aslr /proc/sys/kernel/randomize_va_space "0\\n1")" &&
	refused r && grep "not one line of plain text" err &&
	save_state r "$(entry aslr /proc/sys/kernel/randomize_va_space "\\u001b]0;x\\u0007")" &&
	refused r &&
	test "$(cat r/proc/sys/kernel/randomize_va_space)" = 2
'

test_expect_success 'a symbolic link at the knob itself is refused, its target unchanged' '
	make_tree r && make_victim &&
	ln -sf "$PWD/victim" r/proc/sys/kernel/randomize_va_space &&
	save_state r "$(entry aslr /proc/sys/kernel/randomize_va_space 0)" &&
	refused r && grep "randomize_va_space. is a symbolic link" err &&
	victim_intact
'

test_expect_success 'a symbolic link at a directory on the way is refused, its target unchanged' '
	make_tree r && make_victim &&
	mkdir -p evil/kernel && cp victim evil/kernel/randomize_va_space &&
	rm -r r/proc/sys && ln -s "$PWD/evil" r/proc/sys &&
	save_state r "$(entry aslr /proc/sys/kernel/randomize_va_space 0)" &&
	refused r && grep ".sys. is a symbolic link" err &&
	test_cmp_files victim evil/kernel/randomize_va_space &&
	# a CPU directory, and a cpufreq link not shaped as the kernel makes it
	make_tree s &&
	mkdir -p evilcpu/cpufreq && cp victim evilcpu/cpufreq/scaling_governor && cp victim evilcpu/online &&
	rm -r s$C/cpu1 && ln -s "$PWD/evilcpu" s$C/cpu1 &&
	save_state s "$(entry smt $C/cpu1/online 0)" &&
	refused s && grep "cpu1. is a symbolic link" err &&
	save_state s "$(entry cpu-governor $C/cpu1/cpufreq/scaling_governor powersave)" &&
	refused s &&
	rm -r s$C/cpu0/cpufreq && ln -s "$PWD/evilcpu/cpufreq" s$C/cpu0/cpufreq &&
	save_state s "$(entry cpu-governor $C/cpu0/cpufreq/scaling_governor powersave)" &&
	refused s && grep "not the kernel" err &&
	rm s$C/cpu0/cpufreq && ln -s ../cpufreq/policy s$C/cpu0/cpufreq &&
	mkdir -p s$C/cpufreq/policy && cp victim s$C/cpufreq/policy/scaling_governor &&
	refused s && grep "not the kernel" err &&
	rm s$C/cpu0/cpufreq && ln -s ../cpufreq/policy0/../../cpu1 s$C/cpu0/cpufreq &&
	refused s && grep "not the kernel" err &&
	rm -r s$C/cpufreq/policy &&
	mkdir -p s$C/cpufreq && ln -s "$PWD/evilcpu/cpufreq" s$C/cpufreq/policy0 &&
	rm s$C/cpu0/cpufreq && ln -s ../cpufreq/policy0 s$C/cpu0/cpufreq &&
	refused s && grep "policy0. is a symbolic link" err &&
	test_cmp_files victim evilcpu/online &&
	test_cmp_files victim evilcpu/cpufreq/scaling_governor && victim_intact
'

test_expect_success 'one unsafe knob among safe ones: refused whole, nothing written' '
	make_tree r && make_victim &&
	ln -sf "$PWD/victim" r/sys/kernel/mm/transparent_hugepage/enabled &&
	save_state r "$(entry aslr /proc/sys/kernel/randomize_va_space 0),
		$(entry smt $C/cpu1/online 0),
		$(entry thp /sys/kernel/mm/transparent_hugepage/enabled always)" &&
	refused r && grep "nothing was written" err &&
	test "$(cat r/proc/sys/kernel/randomize_va_space)" = 2 &&
	test "$(cat r$C/cpu1/online)" = 1 && victim_intact
'

test_expect_success 'a hard link, a FIFO or a directory at a knob is refused (no hang)' '
	make_tree r && make_victim &&
	rm r/proc/sys/kernel/randomize_va_space && ln victim r/proc/sys/kernel/randomize_va_space &&
	save_state r "$(entry aslr /proc/sys/kernel/randomize_va_space 0)" &&
	refused r && grep "hard link" err && victim_intact &&
	rm r/proc/sys/kernel/randomize_va_space && mkfifo r/proc/sys/kernel/randomize_va_space &&
	timeout 10 "$STEADY" system reset --root "$PWD/r" >out 2>err; rc=$?
	test $rc = 2 && test_one_error_line err && grep "not a regular file" err
'

test_expect_success 'a knob that does not exist is not created: reported, exit 1, state kept' '
	make_tree r &&
	save_state r "$(entry smt $C/cpu7/online 0),$(entry aslr /proc/sys/kernel/randomize_va_space 0)" &&
	test_expect_code 1 steady system reset --root "$PWD/r" >out 2>err &&
	grep "cannot write 0 to $C/cpu7/online: No such file" out &&
	test ! -e r$C/cpu7 &&
	test "$(cat r/proc/sys/kernel/randomize_va_space)" = 0 &&
	test -e r$STATE
'

test_expect_success 'a state file writable by others or its group, not root'\''s, or a link: refused' '
	make_tree r &&
	save_state r "$(entry aslr /proc/sys/kernel/randomize_va_space 0)" &&
	chmod o+w r$STATE && refused r && grep "writable by others" err &&
	chmod o-w,g+w r$STATE && refused r && grep "writable by its group" err &&
	chmod g-w r$STATE && chown 65534 r$STATE &&
	refused r && grep "owned by uid 65534, not root" err &&
	test "$(cat r/proc/sys/kernel/randomize_va_space)" = 2 &&
	# tune reads the same state: it refuses it too, before writing
	test_expect_code 2 steady system tune --root "$PWD/r" >out 2>err &&
	test_one_error_line err &&
	test "$(cat r/proc/sys/kernel/randomize_va_space)" = 2 &&
	chown 0 r$STATE && mv r$STATE r/var/lib/steady/elsewhere.json &&
	ln -s elsewhere.json r$STATE &&
	refused r && grep "symbolic link" err &&
	test "$(cat r/proc/sys/kernel/randomize_va_space)" = 2
'

test_expect_success 'tune under umask 002 saves a state that reset accepts' '
	make_tree r &&
	put r /proc/sys/kernel/randomize_va_space 0 &&
	(umask 002 && steady system tune --root "$PWD/r" >out) &&
	test "$(stat -c %a r$STATE)" = 644 &&
	steady system reset --root "$PWD/r" >out &&
	test "$(cat r/proc/sys/kernel/randomize_va_space)" = 0
'

test_expect_success 'tune does not follow a link in the tree either' '
	make_tree r && make_victim &&
	put r /proc/sys/kernel/perf_event_max_sample_rate 100000 &&
	rm r/proc/sys/kernel/randomize_va_space &&
	ln -s "$PWD/victim" r/proc/sys/kernel/randomize_va_space &&
	test_expect_code 1 steady system tune --root "$PWD/r" >out 2>err &&
	grep "cannot write 2 to /proc/sys/kernel/randomize_va_space: .randomize_va_space. is a symbolic link" out &&
	victim_intact &&
	test "$(cat r/proc/sys/kernel/perf_event_max_sample_rate)" = 1
'
fi

# ---- closed standard descriptors ----

# Sanitizer reports go to files here, so one cannot hide on a closed stderr.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TEST_DIR/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TEST_DIR/sanitizer"

# steady_logged ARGS: steady, under make valgrind with valgrind's report in
# a file (valgrind itself fails with stderr closed).
steady_logged() {
	if [ -n "${VALGRIND_STEADY:-}" ]; then
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			--log-file="$TEST_DIR/sanitizer.valgrind.%p" "$STEADY" "$@"
	else
		"$STEADY" "$@"
	fi
}

# closed_fds_same NAME ARGS...: steady ARGS exits with the same code with
# stdin, stdout and stderr each closed as with all open, and leaves no
# sanitizer (or valgrind) report.
closed_fds_same() {
	local name=$1 want rc how
	shift
	steady_logged "$@" </dev/null >open.out 2>open.err; want=$?
	for how in stdin stdout stderr; do
		case $how in
		stdin) steady_logged "$@" <&- >/dev/null 2>&1; rc=$? ;;
		stdout) steady_logged "$@" </dev/null >&- 2>/dev/null; rc=$? ;;
		stderr) steady_logged "$@" </dev/null >/dev/null 2>&-; rc=$? ;;
		esac
		if [ "$rc" != "$want" ]; then
			echo "$name with $how closed: exit $rc, with it open $want"
			return 1
		fi
	done
	# Reports are the "==PID==" lines of ASan, LSan and valgrind, and UBSan's
	# "runtime error". (Started with stdout closed, valgrind opens its log
	# as fd 1, so the log also gets what steady prints: not a report.)
	if cat "$TEST_DIR"/sanitizer.* 2>/dev/null | grep -q "^==[0-9]*==\|runtime error"; then
		echo "$name: sanitizer report:"
		cat "$TEST_DIR"/sanitizer.*
		rm -f "$TEST_DIR"/sanitizer.*
		return 1
	fi
	rm -f "$TEST_DIR"/sanitizer.*
}

test_expect_success 'run, compare, stat, show, report with 0, 1 or 2 closed: same exit, no report' '
	steady run -n 2 -o a.json -- /bin/true >/dev/null &&
	steady run -n 2 -o b.json -- /bin/true >/dev/null &&
	closed_fds_same run run -n 1 -- /bin/true &&
	closed_fds_same "run (exit 1)" run -n 1 -- /bin/false &&
	closed_fds_same "run -o" run -n 2 -o c.json -- "$HELPER" sleep 0 &&
	closed_fds_same "run --show-output" run -n 1 --show-output -- "$HELPER" sleep 0 &&
	closed_fds_same compare compare -n 2 -- /bin/true "$HELPER sleep 0" &&
	closed_fds_same "compare files" compare a.json b.json &&
	closed_fds_same stat stat -n 1 -- /bin/true &&
	closed_fds_same show show a.json &&
	closed_fds_same "show (missing file)" show missing.json &&
	closed_fds_same report report -o report.html a.json b.json
'

test_expect_success 'cache, trace, profile with 0, 1 or 2 closed: same exit, no report' '
	closed_fds_same trace trace /bin/true "$HELPER sleep 0" &&
	closed_fds_same profile profile -n 2 /bin/true "$HELPER sleep 0" &&
	if command -v valgrind >/dev/null; then
		closed_fds_same cache cache /bin/true "$HELPER sleep 0"
	else
		echo "(cache: valgrind missing; only --help)" &&
		closed_fds_same "cache --help" cache --help
	fi
'

test_expect_success 'history, list, system show, layout, bisect, sweep with 0, 1 or 2 closed' '
	closed_fds_same "history list (no store)" history list --db "$PWD/h.db" &&
	steady run -n 2 --save --rev r1 --db "$PWD/h.db" -- /bin/true >/dev/null 2>&1 &&
	closed_fds_same "history list" history list --db "$PWD/h.db" &&
	closed_fds_same "run --save" run -n 2 --save --rev r2 --db "$PWD/h.db" -- /bin/true &&
	closed_fds_same list list &&
	closed_fds_same "system show" system show &&
	closed_fds_same "layout --help" layout --help &&
	closed_fds_same "bisect --help" bisect --help &&
	closed_fds_same "sweep --help" sweep --help &&
	closed_fds_same "no command" &&
	closed_fds_same "bad option" run --no-such-option
'

test_done
