#!/usr/bin/env bash
# steady trace: system calls (ptrace, forks and threads followed) and
# library calls (the LD_AUDIT library) of A and B, diffed; crashes, static
# binaries, the JSON file, the run policy, interrupts and bad usage.
. "$(dirname "$0")/lib.sh"

HELPER_STATIC=$(dirname "$HELPER")/steady-helper-static

# delta NAME FILE: the delta column of NAME's row in a trace table.
delta() {
	awk -v n="$1" '$1 == n { print $4; exit }' "$2"
}

# side_calls SIDE NAME FILE: calls of system call NAME on side a or b of a
# JSON file ("calls" of its object), or of library call NAME (its number).
side_calls() {
	awk -v side="$1" -v name="$2" '
		$0 ~ "^  \"[ab]\": \\{" { inside = index($0, "\"" side "\"") > 0; next }
		!inside { next }
		index($0, "\"" name "\": {") { want = 1; next }
		want && /"calls":/ { gsub(/[^0-9]/, ""); print; exit }
		index($0, "\"" name "\": ") { sub(/.*": /, ""); gsub(/[^0-9]/, ""); print; exit }
	' "$3"
}

test_expect_success 'N write()s: exactly N more write calls, the baseline the same' '
	steady trace "$HELPER writes 10" "$HELPER writes 1000" >out &&
	grep "^A: .*steady-helper writes 10$" out &&
	grep "^   exited with code 0; 1 process$" out &&
	grep "^System calls: 1 of [0-9]* changed (A [0-9]* calls, B [0-9]* calls, +990)$" out &&
	test "$(delta write out)" = +990 &&
	grep "^  [0-9]* unchanged ([0-9]* calls on each side)$" out &&
	grep "^  write@libc.so.6 .* +990$" out
'

test_expect_success 'library calls: a known number of getppid() calls through the PLT' '
	steady trace -o t.json "$HELPER calls 10" "$HELPER calls 1000" >out &&
	sed -n "/^Library calls:/,\$p" out >lib &&
	test "$(delta getppid@libc.so.6 lib)" = +990 &&
	test "$(side_calls a getppid@libc.so.6 t.json)" = 10 &&
	test "$(side_calls b getppid@libc.so.6 t.json)" = 1000 &&
	test "$(side_calls a getppid t.json)" = 10 &&
	test "$(side_calls b getppid t.json)" = 1000
'

test_expect_success 'a fork is followed: the child'"'"'s system and library calls count' '
	steady trace -o f.json "$HELPER calls 5" "$HELPER calls 5 fork-calls 100" >out &&
	grep "^   exited with code 0; 2 processes$" out &&
	test "$(delta getppid out)" = +100 &&
	grep "^  clone .* only in B$" out &&
	test "$(side_calls b getppid f.json)" = 105 &&
	test "$(side_calls b exit_group f.json)" = 2 &&
	test "$(side_calls b wait4 f.json)" = 1 &&
	# The parent'"'"'s 5 calls before the fork are not counted again in the child.
	test "$(side_calls b getppid@libc.so.6 f.json)" = 105 &&
	test "$(side_calls b fork@libc.so.6 f.json)" = 1
'

test_expect_success 'a child that ends in _exit() is followed and said to leave no library counts' '
	steady trace "$HELPER writes 1" "$HELPER writes 1 fork" >out &&
	grep "^   exited with code 0; 2 processes$" out &&
	grep "^  B: 1 of 2 processes left no library-call counts" out
'

test_expect_success 'threads are followed' '
	steady trace --no-libcalls "$HELPER threads 1" "$HELPER threads 5" >out &&
	grep "^   exited with code 0; 1 process, 1 more thread$" out &&
	grep "^   exited with code 0; 1 process, 5 more threads$" out &&
	test "$(delta write out)" = +4
'

test_expect_success 'a crashing side: reported with its signal, exit 1, counts still printed' '
	test_expect_code 1 steady trace -o c.json "$HELPER writes 3" "$HELPER writes 3 signal 11" >out 2>err &&
	grep "^   was killed by signal 11 (Segmentation fault); 1 process$" out &&
	grep "^System calls: " out && grep "^  tgkill .* only in B$" out &&
	test "$(cat err)" = "steady: error: B was killed by signal 11 (Segmentation fault)" &&
	test "$(json_values signal c.json | sed -n 2p)" = 11 &&
	test "$(side_calls b write c.json)" -ge 3
'

test_expect_success 'a failing side: its exit code, exit 1' '
	test_expect_code 1 steady trace --no-libcalls "$HELPER exit 3" "$HELPER sleep 0" >out 2>err &&
	grep "^   exited with code 3; 1 process$" out &&
	grep "^steady: error: A exited with code 3$" err
'

test_expect_success 'signals reach the traced program; a stopped one is not left stopped' '
	steady trace --no-libcalls "$HELPER signal 19 writes 2" "$HELPER signal 20 writes 3" >out &&
	test "$(delta write out)" = +1 &&
	test_expect_code 1 steady trace --no-libcalls "$HELPER sleep 0" "$HELPER signal 10" >out 2>err &&
	grep "^steady: error: B was killed by signal 10 (" err
'

test_expect_success 'static binaries: library calls cannot be counted' '
	test -x "$HELPER_STATIC" &&
	steady trace -o s.json "$HELPER" "$HELPER_STATIC" -- writes 5 >out &&
	grep "^  B: static binary: library calls cannot be counted$" out &&
	grep "\"libcalls_note\": \"static binary: library calls cannot be counted\"" s.json &&
	steady trace "$HELPER_STATIC writes 1" "$HELPER_STATIC writes 2" >out &&
	test "$(delta write out)" = +1 &&
	grep "^Library calls: static binaries: library calls cannot be counted$" out
'

test_expect_success '-o: JSON with both sides, written atomically; -- ARGS go to both' '
	steady trace --time -o j.json "$HELPER" "$HELPER" -- writes 7 >out &&
	grep "\"format\": \"steady-trace\"" j.json &&
	grep "\"time_measured\": true" j.json &&
	test $(json_values exit_code j.json | grep -c "^0$") = 2 &&
	test "$(side_calls a write j.json)" = "$(side_calls b write j.json)" &&
	test $(grep -A 3 "\"command\": \[" j.json | grep -cx " *\"writes\",") = 2 &&
	grep "\"time_ns\": [0-9]" j.json &&
	! grep "LD_AUDIT\|STEADY_AUDIT_OUT" j.json &&
	grep "^System calls: 0 of [0-9]* changed" out &&
	no_temp_files .
'

test_expect_success '--time adds the time columns; --top limits the rows' '
	steady trace --time --top 2 --no-libcalls "$HELPER sleep 0" "$HELPER writes 3 fork" >out &&
	grep "^  syscall  *A  *B  *delta  *err A  *err B  *time A  *time B$" out &&
	test $(sed -n "/^System calls/,/unchanged/p" out | grep -c "^  [a-z_][a-z_0-9]*  *[0-9]") = 2 &&
	grep "^  \.\.\. [0-9]* more changed (--top [0-9]* shows them all)$" out &&
	! grep "^Library calls" out
'

test_expect_success 'the command runs like under run: stdin /dev/null, output discarded unless asked' '
	echo "not for the command" | steady trace --no-libcalls "$HELPER stdin a.in print 5" "$HELPER stdin b.in" >out &&
	test "$(cat a.in)" = 0 && test "$(cat b.in)" = 0 &&
	! grep xxxxx out &&
	steady trace --no-libcalls --show-output "$HELPER print 5" "$HELPER sleep 0" >out &&
	grep "^xxxxx" out
'

test_expect_success 'the audit library leaves nothing behind in TMPDIR' '
	mkdir tmp &&
	TMPDIR=$PWD/tmp steady trace "$HELPER calls 1 fork-calls 1" "$HELPER calls 2" >out &&
	test -z "$(ls -A tmp)"
'

test_expect_success 'without its audit library, steady says how to get it' '
	mkdir bin && cp "$STEADY" bin/steady &&
	test_expect_code 2 bin/steady trace "$HELPER sleep 0" "$HELPER sleep 0" >out 2>err &&
	test_one_error_line err && grep "libsteady-audit.so" err && grep "make" err &&
	grep -- "--no-libcalls" err &&
	bin/steady trace --no-libcalls "$HELPER sleep 0" "$HELPER sleep 0" >out
'

for sig in INT TERM KILL; do
test_expect_success "SIG$sig to steady mid-trace: no traced process is left behind" '
	# TMPDIR here: after SIGKILL, steady cannot remove its audit directory
	(export TMPDIR=$PWD; steady_exec trace "$HELPER pgid a.pid sleep 60000" "$HELPER sleep 0" >out 2>err) &
	pid=$! &&
	wait_until 20 test -s a.pid &&
	stop_and_wait '$sig' $pid;
	case '$sig' in KILL) test "$rc" = 137 ;; *) test "$rc" = 130 ;; esac &&
	wait_until 5 process_gone "$(cut -d" " -f1 a.pid)"
'
done

test_expect_success 'bad usage: one error line, exit 2, nothing run' '
	test_expect_code 2 steady trace "$HELPER append ran.log" 2>err &&
	test_one_error_line err && grep "expected two commands" err &&
	test_expect_code 2 steady trace a b c 2>err &&
	test_one_error_line err && grep "unexpected argument .c." err &&
	test_expect_code 2 steady trace --top 0 a b 2>err && test_one_error_line err &&
	test_expect_code 2 steady trace --bogus a b 2>err && test_one_error_line err &&
	test_expect_code 2 steady trace -o 2>err && test_one_error_line err &&
	test_expect_code 2 steady trace "$HELPER append ran.log" no-such-program-xyz 2>err &&
	test_one_error_line err && grep "command not found" err &&
	test_expect_code 2 steady trace "$HELPER append ran.log" "$HELPER | cat" 2>err &&
	test_one_error_line err &&
	test_expect_code 2 steady trace -o no/such/dir.json "$HELPER append ran.log" "$HELPER" 2>err &&
	test_one_error_line err &&
	test ! -e ran.log &&
	steady trace --help >out && grep "^usage: steady trace" out &&
	steady --help | grep "^  trace "
'

test_expect_success '--export-csv and --export-markdown: every call of either side' '
	steady trace --export-csv t.csv --export-markdown t.md -- "$HELPER sleep 0" "$HELPER sleep 1" >/dev/null &&
	test "$(sed -n 1p t.csv)" = "kind,name,calls_a,calls_b,delta,errors_a,errors_b" &&
	grep "^\"syscall\",\"execve\",\"1\",\"1\",\"+0\"," t.csv &&
	grep "^| kind | name | calls\\\\_a | calls\\\\_b | delta |" t.md &&
	test $(grep -c "^| syscall |" t.md) = $(grep -c "^\"syscall\"" t.csv)
'

test_done
