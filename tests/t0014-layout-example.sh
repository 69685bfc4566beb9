#!/usr/bin/env bash
# examples/layout, the bundled example of `steady layout`: it builds in a
# copy, its rarely-run code (builtins.c) is linked in and runs on request,
# both patches apply and build, all three builds print the same line, and
# the dead-code twin has its never-called function and the hot function
# run() at another address (the whole point of the twin).
. "$(dirname "$0")/lib.sh"

EXAMPLE=$(cd "$(dirname "$0")/../examples/layout" && pwd)
W=$TEST_DIR/builds

# build NAME [PATCH]: a copy of the example in $W/NAME, PATCH applied, built
# with the example's own Makefile (the caller's make variables left out).
build() {
	rm -rf "${W:?}/$1" && mkdir -p "$W" && cp -r "$EXAMPLE" "$W/$1" &&
	if [ -n "${2:-}" ]; then
		(cd "$W/$1" && patch -p1 <"$EXAMPLE/$2") || return 1
	fi &&
	MAKEFLAGS= make -C "$W/$1" clean interp >"$W/$1.log" 2>&1 ||
		{ cat "$W/$1.log"; return 1; }
}

# address FUNCTION BINARY: where nm says FUNCTION is defined in .text.
address() {
	nm "$2" | awk -v f="$1" '$3 == f && ($2 == "T" || $2 == "t") { print $1 }'
}

test_expect_success 'the example builds in a copy, compiling then linking, and prints its line' '
	build orig &&
	grep -- "-c interp.c -o interp.o" "$W/orig.log" &&
	grep -- "-c builtins.c -o builtins.o" "$W/orig.log" &&
	grep -- " main.o fib.o interp.o builtins.o -o interp" "$W/orig.log" &&
	"$W/orig/interp" >"$W/orig.out" &&
	grep -E "^fib\(30\) = 832040  steps [0-9]+  calls [0-9]+  checksum [0-9a-f]{16}$" "$W/orig.out" &&
	MAKEFLAGS= make -C "$W/orig" relink >relink.log 2>&1 &&
	! grep -- " -c " relink.log && test -x "$W/orig/interp"
'

test_expect_success 'the rarely-run code is linked in and runs on request' '
	n=$(nm "$W/orig/interp" | awk '\''$2 == "T" && $3 ~ /^(nat_|op_|report_|fmt_|str_|builtin|disasm|count_|straight_|is_branch|print_hist)/'\'' | wc -l) &&
	[ "$n" -ge 30 ] || { echo "only $n functions of builtins.c linked"; exit 1; } &&
	"$W/orig/interp" --builtins >builtins.out &&
	grep "^  gcd/2 " builtins.out && ! grep WRONG builtins.out &&
	"$W/orig/interp" --disasm 5 >disasm.out &&
	grep -E "^ +0  PUSH  5$" disasm.out && grep "^  CALL  *3 " disasm.out
'

test_expect_success 'dead-code.diff and real-change.diff apply with patch -p1 and build' '
	build dead dead-code.diff && build real real-change.diff &&
	"$W/dead/interp" >"$W/dead.out" && "$W/real/interp" >"$W/real.out"
'

test_expect_success 'the dead code changes nothing the program prints' '
	test_cmp_files "$W/orig.out" "$W/dead.out"
'

test_expect_success 'the real change does more work but prints the same line' '
	test_cmp_files "$W/orig.out" "$W/real.out" &&
	! cmp -s "$W/orig/interp.o" "$W/real/interp.o"
'

test_expect_success 'the twin has the never-called function, and run() moved' '
	test -z "$(address interp_dump "$W/orig/interp")" &&
	dump=$(address interp_dump "$W/dead/interp") && test -n "$dump" &&
	a=$(address run "$W/orig/interp") && b=$(address run "$W/dead/interp") &&
	test -n "$a" && test -n "$b" &&
	if [ "$a" = "$b" ]; then
		echo "run() is at $a in both builds: the dead code moved nothing"
		exit 1
	fi &&
	[ $((0x$dump)) -lt $((0x$b)) ] ||
		{ echo "interp_dump at $dump is not before run at $b"; exit 1; }
'

test_done
