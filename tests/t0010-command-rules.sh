#!/usr/bin/env bash
# How a command on steady's command line becomes a process, the same for
# every command: one argument with shell syntax is a command string (and
# 'a|b' is refused with a hint, never looked up as a program), and PATH is
# searched as execvp does, an empty entry meaning the current directory,
# for the benchmarked command and for tools steady runs (valgrind) alike.
. "$(dirname "$0")/lib.sh"

test_expect_success "'a|b' is refused the same way by run, stat, cache and trace" '
	for cmd in "run -n 1" "stat -n 1" "cache" "trace"; do
		case $cmd in
		cache|trace) set -- "$HELPER append ran.log" ;;
		*) set -- ;;
		esac
		test_expect_code 2 steady $cmd "a|b" "$@" 2>err || return 1
		test_one_error_line err || return 1
		grep "uses the shell operator .|." err || return 1
		! grep "command not found" err || return 1
	done &&
	test ! -e ran.log
'

test_expect_success 'the refusal suggests --shell where there is one, sh -c elsewhere' '
	test_expect_code 2 steady run -n 1 "a|b" 2>err && grep -- "--shell" err &&
	test_expect_code 2 steady cache "a|b" "$HELPER" 2>err && grep "sh -c" err &&
	! grep -- "--shell" err &&
	test_expect_code 2 steady trace "$HELPER" "a|b" 2>err && grep "sh -c" err &&
	! grep -- "--shell" err
'

test_expect_success 'an empty PATH entry is the current directory for a benchmarked command' '
	printf "#!/bin/sh\necho ran >>here.log\n" >here-prog && chmod +x here-prog &&
	PATH="/usr/bin:/bin:" steady run -n 1 here-prog >/dev/null &&
	PATH=":/usr/bin:/bin" steady run -n 1 here-prog >/dev/null &&
	PATH="/usr/bin::/bin" steady run -n 1 here-prog >/dev/null &&
	test $(wc -l <here.log) = 3 &&
	test_expect_code 2 env PATH="/usr/bin:/bin" "$STEADY" run -n 1 here-prog 2>err &&
	grep "command not found" err
'

test_expect_success 'an empty PATH entry is the current directory for a tool (valgrind)' '
	printf "#!/bin/sh\necho \"\$@\" >>valgrind.log\nexit 3\n" >valgrind && chmod +x valgrind &&
	# "$STEADY", not steady: under make valgrind the wrapper itself would
	# find the fake valgrind of this directory first.
	PATH=":$PATH" test_expect_code 1 "$STEADY" cache "$HELPER" "$HELPER" 2>err &&
	grep -- "--tool=cachegrind" valgrind.log &&
	PATH="/no/such/dir:" test_expect_code 1 "$STEADY" run -n 1 --metric valgrind-ir "$HELPER" 2>err &&
	test $(wc -l <valgrind.log) = 2
'

test_done
