#!/usr/bin/env bash
# steady run: bad input gives one clear line and a documented exit code,
# and nothing runs or is written when the input is wrong.
. "$(dirname "$0")/lib.sh"

test_expect_success 'usage errors exit 2 with one line' '
	for args in "--frobnicate -- true" "-n 0 -- true" "-n abc -- true" "-n -3 -- true" \
		    "--timeout -1 -- true" "--timeout 0 -- true" "--timeout abc -- true" \
		    "--max-time x -- true" "--cpu x -- true" "-w -1 -- true" "-n" \
		    "" "-n 3 --min-runs 4 -- true" "-n 3 --min-runs 10 -- true" "--min-runs 5 --max-runs 2 -- true"; do
		test_expect_code 2 steady run $args 2>err || exit 1
		test_one_error_line err || exit 1
	done
'

# Under valgrind, posix_spawn cannot share memory with its child (no
# CLONE_VM), so an exec error comes back as exit status 127, not ENOEXEC.
if [ -z "${VALGRIND_STEADY:-}" ]; then
test_expect_success 'an executable that cannot be executed (no #!, bad format) exits 2' '
	printf "echo hi\n" >noshebang && chmod +x noshebang &&
	test_expect_code 2 steady run -n 2 ./noshebang >out 2>err &&
	test_one_error_line err && grep "Exec format error" err
'
else
	test_skip 'an executable that cannot be executed exits 2' 'posix_spawn under valgrind reports exec errors as status 127'
fi

test_expect_success 'unknown short options are named as written' '
	test_expect_code 2 steady run -n 3 -qz -- true 2>err &&
	test_one_error_line err && grep "unknown option .-q." err
'

test_expect_success 'unknown command exits 2' '
	test_expect_code 2 steady frobnicate 2>err && test_one_error_line err
'

test_expect_success 'command not found, not executable, a directory: exit 2' '
	test_expect_code 2 steady run -n 1 -- no-such-command-here 2>err &&
	test_one_error_line err && grep "command not found" err &&
	echo "echo hi" >script.sh && chmod 644 script.sh &&
	test_expect_code 2 steady run -n 1 -- ./script.sh 2>err &&
	test_one_error_line err && grep "not executable" err &&
	mkdir dir &&
	test_expect_code 2 steady run -n 1 -- ./dir 2>err &&
	test_one_error_line err && grep "is a directory" err
'

test_expect_success 'a command needing a shell is refused without --shell' '
	test_expect_code 2 steady run -n 1 "echo hi > file" 2>err &&
	test_one_error_line err && grep -- "--shell" err && test ! -e file &&
	test_expect_code 2 steady run -n 1 "echo \$HOME" 2>err &&
	test_one_error_line err && grep -- "--shell" err &&
	test_expect_code 2 steady run -n 1 "echo \"unterminated" 2>err &&
	test_one_error_line err && grep unterminated err
'

test_expect_success 'a failing command: exit 1 naming the exit code' '
	test_expect_code 1 steady run -n 3 -- "$HELPER" exit 3 >out 2>err &&
	grep "^steady: error: command exited with code 3 in measured run 1" err &&
	grep -- "--ignore-failure" err
'

test_expect_success 'a command killed by a signal: exit 1 naming the signal' '
	test_expect_code 1 steady run -n 3 -- "$HELPER" signal 11 >out 2>err &&
	grep "killed by signal 11 (Segmentation fault) in measured run 1 " err
'

test_expect_success 'a failing warm-up also stops the benchmark' '
	test_expect_code 1 steady run -n 3 -w 1 -- "$HELPER" exit 4 2>err &&
	grep "code 4 in warm-up run 1" err
'

test_expect_success 'a failing --prepare or --setup stops with exit 1' '
	test_expect_code 1 steady run -n 3 --prepare "$HELPER exit 5" -- "$HELPER" append ran.log 2>err &&
	grep -- "--prepare command .* exited with code 5" err && test ! -e ran.log &&
	test_expect_code 1 steady run -n 3 --setup "$HELPER exit 6" -- "$HELPER" append ran.log 2>err &&
	grep -- "--setup command .* exited with code 6" err && test ! -e ran.log &&
	test_expect_code 2 steady run -n 3 --prepare "no-such-prepare" -- "$HELPER" append ran.log 2>err &&
	test_one_error_line err && test ! -e ran.log
'

test_expect_success 'a failed benchmark still saves what it measured' '
	test_expect_code 1 steady run -n 3 -o r.json -- "$HELPER" exit 7 2>/dev/null &&
	test "$(json_values stop_reason r.json)" = failed &&
	test "$(json_values exit_code r.json)" = 7
'

test_expect_success '-o into a missing directory: exit 2 before running anything' '
	test_expect_code 2 steady run -n 1 -o missing/r.json -- "$HELPER" append ran.log 2>err &&
	test_one_error_line err && grep "directory .missing. does not exist" err && test ! -e ran.log
'

test_expect_success '-o naming a directory: exit 2' '
	mkdir out.json &&
	test_expect_code 2 steady run -n 1 -o out.json -- "$HELPER" append ran.log 2>err &&
	test_one_error_line err && test ! -e ran.log
'

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
test_expect_success '-o into a read-only directory: exit 2 before running anything' '
	mkdir -p bin ro && cp "$STEADY" "$HELPER" bin/ && chmod 755 . bin && chmod 555 ro &&
	chmod 777 . &&
	test_expect_code 2 setpriv --reuid=nobody --regid=nogroup --clear-groups \
		bin/steady run -n 1 -o ro/r.json -- bin/steady-helper append ran.log 2>err &&
	test_one_error_line err && test ! -e ran.log && no_temp_files ro
'
elif [ "$(id -u)" != 0 ]; then
test_expect_success '-o into a read-only directory: exit 2 before running anything' '
	mkdir ro && chmod 555 ro &&
	test_expect_code 2 steady run -n 1 -o ro/r.json -- "$HELPER" append ran.log 2>err &&
	test_one_error_line err && test ! -e ran.log
'
else
	test_skip '-o into a read-only directory: exit 2 before running anything' \
		'root may write anywhere, and setpriv is missing to become nobody'
fi

test_expect_success '--timeout kills the whole process group and fails the run' '
	test_expect_code 1 steady run -n 2 --timeout 0.3 -o r.json -- \
		"$HELPER" grandchild 30000 gc.pid sleep 30000 2>err &&
	grep "command timed out after 0.3 s in measured run 1" err &&
	test "$(json_values timed_out r.json)" = true &&
	test "$(json_values signal r.json)" = 9 &&
	wait_until 5 process_gone "$(cat gc.pid)"
'

test_expect_success '--timeout with -i: timed-out runs are recorded, left out of the statistics (none left: one error line, exit 1)' '
	test_expect_code 1 steady run -n 2 -i --timeout 0.2 -o r.json -- "$HELPER" sleep 30000 >out 2>err &&
	test $(json_values timed_out r.json | grep -c true) = 2 &&
	grep "2 runs timed out and are left out" out &&
	grep "no measured runs" out &&
	test_one_error_line err && grep "all its 2 runs timed out (--timeout 0.2 s)" err
'

test_expect_success 'a full stdout is an error, and the results are saved first' '
	test_expect_code 2 steady run -n 2 -o r.json -- "$HELPER" sleep 0 >/dev/full 2>err &&
	test_one_error_line err && grep "cannot write the output" err &&
	test "$(json_values stop_reason r.json)" = completed
'

test_expect_success 'no temporary files are left after successes and failures' '
	steady run -n 2 -o r.json -- "$HELPER" sleep 0 >/dev/null &&
	test_expect_code 1 steady run -n 2 -o r2.json -- "$HELPER" exit 1 2>/dev/null &&
	no_temp_files .
'

test_done
