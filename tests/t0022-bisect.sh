#!/usr/bin/env bash
# steady bisect: the slow hunk of a patch of 11 over three files found
# within log2(N)+2 questions, the user's tree untouched, hunks slow only
# together, a range's slow commit, a patch that does not apply, a build
# that fails, and a search interrupted then resumed from its log. The
# verdicts use --metric valgrind-ir (instruction counts: deterministic).
. "$(dirname "$0")/lib.sh"

PROJECT=$FIXTURES/bisect-project
export TMPDIR=$TEST_DIR/tmp
mkdir -p "$TMPDIR"
BUILD='make -s -C {dir} CC={cc}'
RUN='{dir}/prog 3000'

make_project() {
	cp -R "$PROJECT" "$1" && rm -f "$1"/*.o "$1"/prog
}

checksum_tree() {
	(cd "$1" && find . -path ./.git -prune -o -type f -print0 | sort -z |
		xargs -0 stat -c '%n %a %Y %s' && find . -path ./.git -prune -o -type f -print0 |
		sort -z | xargs -0 sha256sum)
}

test_expect_success 'one slow hunk of 11: found within log2(N)+2 questions, the tree untouched' '
	make_project proj && checksum_tree proj >before &&
	steady bisect --builds "$PWD/builds" --src proj --patch "$FIXTURES/bisect-slow.diff" \
		--build "$BUILD" -n 2 --metric valgrind-ir -- "$RUN" >out &&
	checksum_tree proj >after && test_cmp_files before after &&
	test ! -e proj/prog &&
	grep "^11 groups of hunks to search" out &&
	grep "^whole change against the base: .* SLOWER" out &&
	grep "^culprit: 1 group of 11 (loops.c @@ -35,6 +35,8 @@" out &&
	grep "^the other 10 together: NOT SLOW (1.0[0-9]*x, CI .*; the bar 1.0[0-9]*x)$" out &&
	# log2(11) + 2 = 5.46: at most 5 questions after the whole
	steps=$(grep -c "^step " out) && test "$steps" -le 5 &&
	grep "^written: culprit.patch, bisect.json" out &&
	test $(grep -c "^@@" culprit.patch) = 1 && grep -q "0x9e3779b97f4a7c15" culprit.patch &&
	grep "\"outcome\": \"found\"" bisect.json &&
	test $(grep -c "\"answer\":" bisect.json) = "$steps" &&
	# the culprit patch applies on its own
	make_project alone && (cd alone && patch -p1 -s <../culprit.patch) &&
	grep -q 0x9e3779b97f4a7c15 alone/loops.c &&
	# a rerun builds nothing and finds every build kept, the base too
	built=$(sed -n "s/.*builds: \([0-9]*\) (+0 kept).*/\1/p" out) && test "$built" -ge 3 &&
	rm bisect.json culprit.patch &&
	steady bisect --builds "$PWD/builds" --src proj --patch "$FIXTURES/bisect-slow.diff" \
		--build "$BUILD" -n 2 --metric valgrind-ir -- "$RUN" >out &&
	grep "builds: 0 (+$built kept)" out
'

test_expect_success 'two hunks slow only together: delta debugging finds both' '
	make_project proj &&
	steady bisect --builds "$PWD/builds" --src proj --patch "$FIXTURES/bisect-together.diff" \
		--build "$BUILD" -n 2 --metric valgrind-ir --log t.json --culprit t.patch -- "$RUN" >out &&
	grep "^culprit: 2 groups of 4 (.*loops.c.*table.c.*), slow only together," out &&
	grep "ddmin" out &&
	test $(grep -c "^@@" t.patch) = 2 && grep -q "extra_work = 1" t.patch &&
	grep "\"interacting\": true" t.json
'

test_expect_success 'a commit range: the first slow commit, confirmed against its parent' '
	make_project repo &&
	(cd repo && git init -q && git add . && git -c user.name=t -c user.email=t@t commit -qm base &&
	 git tag base &&
	 sed -i "s/1000 by default/a thousand by default/" main.c &&
	 git -c user.name=t -c user.email=t@t commit -qam "comment" &&
	 git apply --include=loops.c "$FIXTURES/bisect-slow.diff" &&
	 git -c user.name=t -c user.email=t@t commit -qam "loops" &&
	 sed -i "s/The largest/The greatest/" table.c &&
	 git -c user.name=t -c user.email=t@t commit -qam "table comment") &&
	checksum_tree repo >before &&
	steady bisect --builds "$PWD/builds" --src repo --commits base..HEAD --build "$BUILD" \
		-n 2 --metric valgrind-ir -- "$RUN" >out &&
	checksum_tree repo >after && test_cmp_files before after &&
	grep "^3 commits to search" out &&
	grep "^culprit: commit [0-9a-f]* loops of 3; against its parent .*: SLOW" out &&
	test ! -e culprit.patch
'

test_expect_success 'a range with a commit that does not build: skipped, never taken as good' '
	make_project repo &&
	(cd repo && git init -q && git add . && git -c user.name=t -c user.email=t@t commit -qm base &&
	 git tag base &&
	 sed -i "s/1000 by default/a thousand by default/" main.c &&
	 git -c user.name=t -c user.email=t@t commit -qam "comment" &&
	 echo "syntax error here" >>table.c && git -c user.name=t -c user.email=t@t commit -qam "broken" &&
	 git checkout -q HEAD~1 -- table.c && git apply --include=loops.c "$FIXTURES/bisect-slow.diff" &&
	 git -c user.name=t -c user.email=t@t commit -qam "fixed, and slow" &&
	 sed -i "s/The largest/The greatest/" table.c &&
	 git -c user.name=t -c user.email=t@t commit -qam "table comment") &&
	test_expect_code 1 steady bisect --builds "$PWD/builds" --src repo --commits base..HEAD \
		--build "$BUILD" -n 2 --metric valgrind-ir -- "$RUN" >out 2>err &&
	grep "BUILD FAILED: it does not build (log: " out &&
	grep "^stopped: the commits between do not build; the culprit is among commits 2-3$" out &&
	test_expect_code 2 steady bisect --src repo --commits HEAD..base --build "$BUILD" -- "$RUN" 2>e1 &&
	test_one_error_line e1 && grep "not an ancestor" e1
'

test_expect_success 'a patch that does not apply, a build that fails: one line, no search' '
	make_project proj &&
	printf "%s\n" "--- a/main.c" "+++ b/main.c" "@@ -1,3 +1,3 @@" " nothing" "-like" "+this" " here" >bad.diff &&
	test_expect_code 2 steady bisect --builds "$PWD/builds" --src proj --patch bad.diff \
		--build "$BUILD" -n 2 -- "$RUN" >out 2>err &&
	grep "steady: error: .*does not apply" err && ! grep "^step " out &&
	test_expect_code 1 steady bisect --builds "$PWD/builds" --src proj \
		--patch "$FIXTURES/bisect-slow.diff" --build "make -s -C {dir} CC=no-such-cc" \
		-n 2 -- "$RUN" >out 2>err &&
	grep "steady: error: build of the base failed" err && ! grep "^step " out &&
	test_expect_code 2 steady bisect --src proj --build "$BUILD" -- "$RUN" 2>e1 &&
	test_one_error_line e1 &&
	test_expect_code 2 steady bisect --src proj --patch x --commits a..b --build "$BUILD" -- "$RUN" 2>e2 &&
	test_one_error_line e2 &&
	test_expect_code 2 steady bisect --src proj --patch "$FIXTURES/bisect-slow.diff" --fraction 1 \
		--build "$BUILD" -- "$RUN" 2>e3 && test_one_error_line e3
'

test_expect_success '--layout-variants: the whole change is a real change over layouts before the search' '
	make_project proj &&
	steady bisect --builds "$PWD/builds" --src proj --patch "$FIXTURES/bisect-slow.diff" \
		--build "make -s -C {dir} CC={cc} CFLAGS=\"-O2 {cflags}\"" --layout-variants 2 \
		-n 2 --metric valgrind-ir -- "$RUN" >out &&
	grep "^whole change over 2 layouts a side: .* REAL CHANGE (SLOWER)" out &&
	grep "^culprit: 1 group of 11 (loops.c @@ -35,6 +35,8 @@" out &&
	grep "\"layout\": {" bisect.json &&
	test_expect_code 2 steady bisect --src proj --patch "$FIXTURES/bisect-slow.diff" \
		--build "$BUILD" --layout-variants 2 -- "$RUN" 2>err && test_one_error_line err &&
	grep "{cflags}" err
'

test_expect_success 'interrupted after its first steps, then resumed from the log: nothing redone' '
	make_project proj &&
	steady_exec bisect --builds "$PWD/builds" --src proj --patch "$FIXTURES/bisect-slow.diff" \
		--build "$BUILD" -n 2 --metric valgrind-ir -- "$RUN" >out1 2>err1 &
	pid=$! &&
	wait_until 120 grep -q "^step 1 " out1 &&
	kill -INT $pid && rc=0 && wait $pid || rc=$? &&
	test "$rc" = 130 &&
	done_steps=$(grep -c "\"answer\":" bisect.json) && test "$done_steps" -ge 1 &&
	steady bisect --builds "$PWD/builds" --src proj --patch "$FIXTURES/bisect-slow.diff" \
		--build "$BUILD" -n 2 --metric valgrind-ir --resume bisect.json -- "$RUN" >out2 &&
	grep "^whole change (from the log)" out2 &&
	test $(grep -c "(from the log)$" out2) -ge "$done_steps" &&
	grep "^culprit: 1 group of 11 (loops.c @@ -35,6 +35,8 @@" out2 &&
	# a new search does not overwrite a log with steps in it
	test_expect_code 2 steady bisect --builds "$PWD/builds" --src proj --patch "$FIXTURES/bisect-slow.diff" \
		--build "$BUILD" -n 2 -- "$RUN" 2>err2 && test_one_error_line err2 && grep "resume" err2 &&
	# a log of another patch is refused
	test_expect_code 2 steady bisect --builds "$PWD/builds" --src proj \
		--patch "$FIXTURES/bisect-together.diff" --build "$BUILD" -n 2 --resume bisect.json \
		-- "$RUN" 2>err3 && grep "the log is of another patch" err3
'

test_done
