#!/usr/bin/env bash
# steady layout: sides from trees, patches and git revisions, built in
# private copies (the user's tree untouched), link-order variants relinked
# without compiling, every variant measured and saved, compare on the
# saved file, and bad input. Behaviour only: no test depends on timing.
. "$(dirname "$0")/lib.sh"

PROJECT=$FIXTURES/layout-project
# steady's workspaces (and those kept after a failed build) go with the test's
# scratch directory.
export TMPDIR=$TEST_DIR/tmp
mkdir -p "$TMPDIR"
BUILD='make -s -C {dir} CC={cc} CFLAGS="-O2 {cflags}" LDFLAGS={ldflags}'

# A copy of the fixture project the test may edit (and must not see edited).
make_project() {
	cp -R "$PROJECT" "$1" && rm -f "$1"/*.o "$1"/prog
}

# checksum_tree DIR: every file's content, mode and mtime, sorted.
checksum_tree() {
	(cd "$1" && find . -path ./.git -prune -o -type f -print0 | sort -z |
		xargs -0 stat -c '%n %a %Y %s' && find . -path ./.git -prune -o -type f -print0 |
		sort -z | xargs -0 sha256sum)
}

# A wrapper compiler that logs each compile (-c) and each other call.
make_counting_cc() {
	cat >"$1" <<-'EOF'
	#!/bin/sh
	case " $* " in
	*" -c "*) echo compile >>"$CC_LOG" ;;
	*) echo link >>"$CC_LOG" ;;
	esac
	exec cc "$@"
	EOF
	chmod +x "$1"
}

test_expect_success 'link-order: one compile a side, relinks that compile nothing, the user tree untouched, every variant saved, compare reads the file' '
	make_project proj &&
	cp -R proj proj-b && echo "/* B */" >>proj-b/util.c &&
	checksum_tree proj >before &&
	make_counting_cc "$PWD/countcc" && export CC_LOG=$PWD/cc.log &&
	steady layout --perturb link-order --variants 3 -n 3 --cc "$PWD/countcc" -o l.json \
		--src-a proj --src-b proj-b --build "$BUILD" -- "{dir}/prog 1000" >out &&
	checksum_tree proj >after && test_cmp_files before after &&
	test ! -e proj/prog && test ! -e proj/main.o &&
	grep "^builds: 4 compiles + 6 relinks" out &&
	# 3 sources in each of 4 compiled trees; the 6 relinks compile none
	test $(grep -c compile cc.log) = 12 &&
	test $(grep -c link cc.log) -ge 10 &&
	grep "^layout spread    A: 3 variants" out &&
	grep "^default build    B/A" out &&
	grep "^layout-averaged  B/A" out &&
	grep "^verdict: \(REAL CHANGE\|LAYOUT ARTEFACT\|SAME\|UNRESOLVED\)" out &&

	# the saved file: every variant with flags, seed, build time and text size
	test $(grep -c "\"side\": \"A\"" l.json) = 4 &&
	test $(grep -c "\"side\": \"B\"" l.json) = 4 &&
	test $(grep -c "\"relinked\": true" l.json) = 6 &&
	test $(grep -c "\"default\": true" l.json) = 2 &&
	test $(grep -c "\"ldflags\": \"-fuse-ld=lld -Wl,--shuffle-sections=.text\*=[1-9][0-9]*\"" l.json) = 6 &&
	test $(grep -c "\"cflags\": \"-ffunction-sections\"" l.json) = 6 &&
	! grep "\"text_bytes\": -1" l.json &&
	test $(grep -c "\"text_bytes\": [1-9]" l.json) = 8 &&
	test $(grep -c "\"build_seconds\": [0-9]" l.json) = 9 &&
	grep "\"perturbation\": \"link-order\"" l.json &&
	# the same seed on both sides: layouts drawn alike
	grep -o "shuffle-sections=.text\*=[0-9]*" l.json | sort | uniq -c >seeds &&
	test $(wc -l <seeds) = 3 && ! grep -v "^ *2 " seeds &&
	# 8 benchmarks of 3 runs each
	test_count_is 24 json_values wall_ns l.json &&

	# compare on a layout file compares its default builds
	steady compare l.json >out &&
	grep "^  A  A default" out && grep "^  B  B default" out &&
	grep "^verdict: " out
'

test_expect_success 'the variants really differ in where their code lands (nm -n)' '
	make_project proj &&
	steady layout --perturb link-order --variants 3 -n 1 --keep --src-a proj --src-b proj \
		--build "$BUILD" -- "{dir}/prog 10" >out &&
	ws=$(sed -n "s/^kept: //p" out) && test -d "$ws" &&
	for v in A-01 A-02 A-03 A-default; do
		nm -n "$ws/$v/prog" | awk "\$2 ~ /[tT]/ { print \$3 }" >"$v.order" || return 1
	done &&
	! cmp -s A-01.order A-02.order && ! cmp -s A-02.order A-03.order &&
	test -s "$ws/logs/A-01.log" && rm -rf "$ws"
'

test_expect_success 'align: a compile per variant, functions aligned as the flags say' '
	make_project proj &&
	steady layout --perturb align --variants 2 -n 1 -o al.json --src-a proj --src-b proj \
		--build "$BUILD" -- "{dir}/prog 10" >out &&
	grep "^builds: 6 compiles + 0 relinks" out &&
	test $(grep -c "\"cflags\": \"-falign-functions=[0-9]* -falign-loops=[0-9]*\"" al.json) = 4
'

test_expect_success '--src with --patch, then --rev-a: B the tree plus the patch, A a revision; the tree and patch untouched' '
	make_project p2 && git init -q p2 && git -C p2 add . &&
	git -C p2 -c user.name=t -c user.email=t@t commit -qm base &&
	cp -R p2 p2-edit && echo "int layout_dead_code(int x) { return x * 3; }" >>p2-edit/util.c &&
	(cd p2 && diff -u util.c ../p2-edit/util.c | sed "s|^--- util.c.*|--- a/util.c|; s|^+++ ../p2-edit/util.c.*|+++ b/util.c|" >../dead.diff || test $? = 1) &&
	cp dead.diff dead.diff.orig &&
	checksum_tree p2 >before &&
	steady layout --variants 2 -n 2 -o p.json --src p2 --patch dead.diff \
		--build "$BUILD" -- "{dir}/prog 100" >out &&
	checksum_tree p2 >after && test_cmp_files before after &&
	test -z "$(git -C p2 status --porcelain)" &&
	cmp dead.diff dead.diff.orig &&
	grep "^verdict: " out &&

	# --rev-a: A from a git revision, B the work tree
	echo "unsigned long layout_extra(unsigned long x) { return x + 1; }" >>p2/util.c &&
	git -C p2 -c user.name=t -c user.email=t@t commit -qam second &&
	steady layout --variants 2 -n 1 --src p2 --rev-a HEAD~1 \
		--build "$BUILD" -- "{dir}/prog 100" >out &&
	grep "^verdict: " out &&
	test_expect_code 2 steady layout --variants 2 -n 1 --src p2 --rev-a no-such-rev \
		--build "$BUILD" -- "{dir}/prog 100" 2>err &&
	grep "no-such-rev" err
'

test_expect_success 'a patch that does not apply: exit 2, the hunk named and shown, nothing left' '
	make_project proj &&
	cat >bad.diff <<-\EOF &&
	--- a/util.c
	+++ b/util.c
	@@ -1,3 +1,3 @@
	-this line is not in util.c
	+nor is this one
	 nor this
	EOF
	test_expect_code 2 steady layout --variants 2 -n 1 --src proj --patch bad.diff \
		--build "$BUILD" -- "{dir}/prog" >out 2>err &&
	grep "^steady: error: cannot apply .bad.diff.*hunk #1 of .util.c." err &&
	grep "this line is not in util.c" err &&
	test -z "$(ls "${TMPDIR:-/tmp}" | grep "^steady-layout-" | while read -r d; do
		test "${TMPDIR:-/tmp}/$d" -nt bad.diff && echo "$d"; done)"
'

test_expect_success 'a default build that fails: exit 1 with its last lines; its log kept' '
	make_project proj && make_project broken && echo "this is not C" >>broken/util.c &&
	test_expect_code 1 steady layout --variants 2 -n 1 --src-a proj --src-b broken \
		--build "$BUILD" -- "{dir}/prog" >out 2>err &&
	grep "^steady: error: build of B default failed: exited with code 2 (log: " err &&
	grep "^    .*this is not C\|^    .*error" err &&
	ws=$(sed -n "s/.*are kept in .\(.*\).$/\1/p" err) && test -d "$ws" && rm -rf "$ws"
'

test_expect_success '--metric valgrind-ir: instruction counts of every variant' '
	make_project proj &&
	if ! command -v valgrind >/dev/null; then echo "valgrind missing"; return 1; fi &&
	steady layout --perturb link-order --variants 2 -n 2 --metric valgrind-ir -o ir.json \
		--src-a proj --src-b proj --build "$BUILD" -- "{dir}/prog 1000" >out &&
	grep "^layout spread    A: 2 variants, medians [0-9.,]* .*metric: valgrind-ir" out &&
	test $(grep -c "\"valgrind-ir\"" ir.json) -ge 6 &&
	grep "^verdict: " out
'

test_expect_success '--perturb env: two plain commands, a fixed padding per variant' '
	steady layout --variants 3 -n 2 -o env.json -- "$HELPER sleep 0" "$HELPER sleep 0" >out &&
	grep "^verdict: " out && ! grep "^builds:" out &&
	grep "\"perturbation\": \"env\"" env.json &&
	sed -n "/^  \"layout\": {/,\$p" env.json >layout &&
	test $(grep -c "\"env_pad\": 0," layout) = 2 &&
	test $(grep -c "\"env_pad\": [1-9]" layout) = 6 &&
	sed "/^  \"layout\": {/,\$d" env.json >benchmarks &&
	json_values env_pad benchmarks >pads && test_count_is 16 cat pads &&
	# each variant keeps its padding: 8 benchmarks, 2 runs each, 4 distinct values
	test $(sort -u pads | wc -l) = 4
'

test_expect_success 'an interrupt while measuring: exit 130, what was measured judged and saved' '
	(steady_exec layout --variants 2 --max-time 60 -o int.json -- \
		"$HELPER append runs.log sleep 20" "$HELPER append runs.log sleep 20" >out 2>err) &
	pid=$! &&
	wait_until 20 has_lines runs.log 20 &&
	stop_and_wait INT $pid && test $rc = 130 &&
	grep "^verdict: " out &&
	test -s int.json && grep "\"stop_reason\": \"interrupted\"" int.json &&
	no_temp_files .
'

test_expect_success 'bad input: one error line, exit 2' '
	make_project proj &&
	test_expect_code 2 steady layout --src-a proj --src-b proj -- "{dir}/prog" 2>err &&
	test_one_error_line err && grep "needs --build" err &&
	test_expect_code 2 steady layout --src-a proj --src-b proj --build "make -C {dri}" -- "{dir}/prog" 2>err &&
	test_one_error_line err && grep "dri" err &&
	test_expect_code 2 steady layout --src-a proj --src-b proj --build "$BUILD" -- "{dri}/prog" 2>err &&
	test_one_error_line err &&
	test_expect_code 2 steady layout --perturb shuffle -- a b 2>err &&
	test_one_error_line err && grep "shuffle" err &&
	test_expect_code 2 steady layout --variants 1 -- a b 2>err &&
	test_one_error_line err &&
	test_expect_code 2 steady layout --src proj --build "$BUILD" -- "{dir}/prog" 2>err &&
	test_one_error_line err && grep "patch" err &&
	test_expect_code 2 steady layout --src-a proj --build "$BUILD" -- "{dir}/prog" 2>err &&
	test_one_error_line err &&
	test_expect_code 2 steady layout -- "{dir}/prog" 2>err &&
	test_one_error_line err
'

test_expect_success 'a build the perturbation cannot reach: refused before building, or once its variants come out alike' '
	make_project proj &&
	test_expect_code 2 steady layout --perturb link-order --src-a proj --src-b proj \
		--build "make -s -C {dir} CC={cc}" -- "{dir}/prog" >out 2>err &&
	test_one_error_line err && grep "link-order reaches the build through {ldflags}, and no --build command has it" err &&
	test_expect_code 2 steady layout --perturb align --src-a proj --src-b proj \
		--build "make -s -C {dir} LDFLAGS={ldflags}" -- "{dir}/prog" >out 2>err &&
	test_one_error_line err && grep "align reaches the build through {cflags}" err &&
	test_expect_code 2 steady layout --perturb link-order --variants 3 -n 1 --src-a proj --src-b proj \
		--build "make -s -C {dir} CC={cc} CFLAGS=\"-O2 {cflags}\" IGNORED={ldflags}" \
		-- "{dir}/prog" >out 2>err &&
	grep "^steady: error: the 3 link-order variants of A are the same code, byte for byte: the link order never reached the linker" err &&
	kept=$(sed -n "s/^steady: the trees and build logs are kept in .\(.*\).$/\1/p" err) &&
	test -f "$kept/logs/A-01.log" && ! grep -q "^Benchmark\|verdict" out &&
	test_expect_code 2 steady layout --perturb align --variants 3 -n 1 --src-a proj --src-b proj \
		--build "make -s -C {dir} CC={cc} IGNORED=\"{cflags}\" LDFLAGS={ldflags}" \
		-- "{dir}/prog" >out 2>err &&
	grep "^steady: error: the 3 align variants of A are the same code, byte for byte: the alignment flags never reached the compiler" err
'

test_expect_success 'a run command outside the tree needs --binary for link-order, said before building' '
	make_project proj &&
	test_expect_code 2 steady layout --perturb link-order --variants 2 -n 1 --src-a proj --src-b proj \
		--build "$BUILD" -- "/bin/true {dir}" >out 2>err &&
	test_one_error_line err && grep "not in the build.s tree" err &&
	steady layout --perturb link-order --binary prog --variants 2 -n 1 --src-a proj --src-b proj \
		--build "$BUILD" -- "/bin/true {dir}" >out &&
	grep "^builds: 4 compiles + 4 relinks" out
'

test_expect_success 'stale objects in the user tree are left out: every build compiles' '
	make_project proj && make -s -C proj CC=cc CFLAGS=-O2 &&
	make_counting_cc "$PWD/countcc" && export CC_LOG=$PWD/cc.log &&
	steady layout --perturb link-order --variants 2 -n 1 --cc "$PWD/countcc" \
		--src-a proj --src-b proj --build "$BUILD" -- "{dir}/prog" >out 2>err &&
	grep "left 4 build products" err &&
	test $(grep -c compile cc.log) = 12
'

test_expect_success 'a relink that fails is left out; the other variants go on; its log kept' '
	make_project proj &&
	cat >failcc <<-\EOF &&
	#!/bin/sh
	# the second relink of A (make runs it in the compiled tree of A) fails
	case "$PWD $*" in
	*A-compiled*shuffle-sections*)
		n=$(($(cat "$COUNT" 2>/dev/null || echo 0) + 1)); echo $n >"$COUNT"
		[ $n = 2 ] && { echo "link refused for the test" >&2; exit 1; } ;;
	esac
	exec cc "$@"
	EOF
	chmod +x failcc && export COUNT=$PWD/count &&
	steady layout --perturb link-order --variants 3 -n 2 --cc "$PWD/failcc" \
		--src-a proj --src-b proj --build "$BUILD" -- "{dir}/prog 10" >out 2>err &&
	grep "^steady: error: build of A link-order 2 failed" err &&
	grep "link refused for the test" err &&
	grep "^layout spread    A: 2 variants" out && grep "B: 3 variants" out &&
	ws=$(sed -n "s/^kept: \(.*\) (a build failed: its log is there)$/\1/p" out) &&
	test -s "$ws/logs/A-02.log" && rm -rf "$ws"
'

test_expect_success '--export-markdown and --export-csv: a row per build' '
	steady layout --variants 2 -n 2 --export-markdown l.md --export-csv l.csv -- \
		"$HELPER sleep 0" "$HELPER sleep 0" >/dev/null &&
	test "$(sed -n 1p l.md)" = "| Build | Side | Flags | .text | Runs | Median |" &&
	test $(grep -c "^| [AB] " l.md) = 6 &&
	test "$(sed -n 1p l.csv)" = "build,side,default,cflags,ldflags,seed,env_pad,relinked,build_seconds,text_bytes,runs,median" &&
	test $(grep -c "^\"A default\",A,yes," l.csv) = 1 &&
	test $(wc -l <l.csv) = 7
'

test_done
