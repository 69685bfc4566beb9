#!/usr/bin/env bash
# steady sweep: the matrix (-L, --param, --exclude), builds in private
# copies kept and reused by configuration, a failed configuration listed
# and skipped, PGO for gcc and clang in order, the A/B mode, layout
# variants, the results file and exports, and bad input. Verdicts use
# --metric valgrind-ir (instruction counts: deterministic), never time.
. "$(dirname "$0")/lib.sh"

PROJECT=$FIXTURES/layout-project
export TMPDIR=$TEST_DIR/tmp
mkdir -p "$TMPDIR"
BUILD='make -s -C {dir} CC={cc} CFLAGS={cflags}'

make_project() {
	cp -R "$PROJECT" "$1" && rm -f "$1"/*.o "$1"/prog
}

# checksum_tree DIR: every file's content, mode and mtime, sorted.
checksum_tree() {
	(cd "$1" && find . -type f -print0 | sort -z | xargs -0 stat -c '%n %a %Y %s' &&
		find . -type f -print0 | sort -z | xargs -0 sha256sum)
}

# A patch that adds real work to the hot path: every loop runs twice.
make_real_work_patch() {
	cp -R "$1" "$1.b" &&
	sed -i "s/v\[0\] = mix_add(1, n);/v[0] = mix_add(1, n) + mix_add(5, n);/" "$1.b/main.c" &&
	sed -i "s/v\[1\] = mix_mul(2, n);/v[1] = mix_mul(2, n) + mix_mul(6, n);/" "$1.b/main.c" &&
	(cd "$1" && diff -ruN . ../"$1.b" | sed "s#^--- \./#--- a/#; s#^+++ \.\./$1\.b/#+++ b/#") >"$2"; test -s "$2"
}

test_expect_success 'ranking: -O2 before -O0 by instructions, the user tree untouched, logs kept, every build in the file' '
	make_project proj && checksum_tree proj >before &&
	steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" \
		--param "cflags=-O0;-O2" -n 2 --metric valgrind-ir -o s.json \
		--export-csv s.csv --export-markdown s.md -- "{dir}/prog 20000" >out &&
	checksum_tree proj >after && test_cmp_files before after &&
	test ! -e proj/prog && test ! -e proj/main.o &&
	grep "^rank  #  cflags  median" out &&
	grep "^1 *2 *-O2 .* FASTER" out &&
	grep "^2 *1 *-O0 .* baseline" out &&
	grep "^configurations: 2, 2 measured   builds: 2, 0 kept" out &&
	test $(ls builds/*/build.log | wc -l) = 2 && test $(ls builds/*/done | wc -l) = 2 &&
	grep "\"mode\": \"rank\"" s.json && grep "\"status\": \"measured\"" s.json &&
	test $(grep -c "\"kept\": false" s.json) = 2 &&
	grep "\"verdict\": \"FASTER\"" s.json &&
	head -1 s.csv | grep "^rank,#,cflags,median,vs baseline,verdict,build,.text$" && sed -n 2p s.csv | grep "^\"1\",\"2\",\"-O2\"" &&
	test $(wc -l <s.csv) = 3 &&
	grep "^| rank | # | cflags |" s.md &&
	# compare reads the saved builds like any results file
	steady compare --metric valgrind-ir s.json >cmp && grep "FASTER\|SLOWER" cmp
'

test_expect_success 'a rerun with one more value builds only that one; --rebuild builds all' '
	make_project proj &&
	steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" \
		--param "cflags=-O0;-O2" -n 1 --metric valgrind-ir -- "{dir}/prog 1000" >out1 &&
	steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" \
		--param "cflags=-O0;-O1;-O2" -n 1 --metric valgrind-ir -o again.json -- "{dir}/prog 1000" >out2 &&
	grep "builds: 3, 2 kept" out2 && test $(ls -d builds/*/ | wc -l) = 3 &&
	test $(grep -c "\"kept\": true" again.json) = 2 &&
	grep "(kept)" out2 &&
	# an edit to the sources is another build
	echo "/* edited */" >>proj/util.c &&
	steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" \
		--param "cflags=-O0;-O2" -n 1 --metric valgrind-ir -- "{dir}/prog 1000" >out3 &&
	grep "builds: 2, 0 kept" out3 &&
	steady sweep --rebuild --builds "$PWD/builds" --src proj --build "$BUILD" \
		--param "cflags=-O0;-O2" -n 1 --metric valgrind-ir -- "{dir}/prog 1000" >out4 &&
	grep "builds: 2, 0 kept" out4
'

test_expect_success 'the matrix: -L in both spellings, --param values with blanks and commas, --exclude' '
	make_project proj &&
	steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" \
		-L cc gcc,clang --param "cflags=-O1;-O2 -DSPARE=1,2" --exclude "cc=clang;cflags=-O1" \
		-n 1 --metric valgrind-ir -o m.json -- "{dir}/prog 1000" >out &&
	grep "^configurations: 3, 3 measured" out &&
	grep "\"label\": \"cc=gcc cflags=-O1\"" m.json &&
	grep "\"label\": \"cc=gcc cflags=-O2 -DSPARE=1,2\"" m.json &&
	grep "\"label\": \"cc=clang cflags=-O2 -DSPARE=1,2\"" m.json &&
	! grep "\"label\": \"cc=clang cflags=-O1\"" m.json &&
	# the value reached the compiler as two flags, the comma kept
	grep -l "DSPARE=1,2" builds/*/build.log >logs && test $(wc -l <logs) = 2 &&
	grep -h "^\$ make" $(cat logs) | grep -F "CFLAGS=-O2 -DSPARE=1,2" &&
	steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" \
		-L cc=gcc,clang -n 1 --metric valgrind-ir -- "{dir}/prog 1000" >out2 &&
	grep "^configurations: 2, 2 measured" out2
'

test_expect_success 'LTO with either compiler: gcc through its plugin, clang through LLVMgold' '
	make_project proj &&
	steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" -L cc=gcc,clang \
		--param "cflags=-O2;-O2 -flto" -n 1 --metric valgrind-ir -o lto.json \
		-- "{dir}/prog 1000" >out 2>err &&
	grep "^configurations: 4, 4 measured" out && ! grep "cannot link with -flto" err &&
	test $(grep -l -- "-flto" builds/*/build.log | wc -l) = 2 &&
	# gcc -flto objects carry LTO sections; clang -flto objects are LLVM bitcode
	for log in $(grep -l -- "-flto" builds/*/build.log); do
		tree=${log%/build.log}/tree &&
		if grep -q "CC=gcc" "$log"; then
			objdump -h "$tree/main.o" | grep -q gnu.lto || return 1
		else
			head -c 2 "$tree/main.o" | grep -q BC || return 1
		fi
	done
'

test_expect_success 'a configuration that fails to build is listed with its log, the others measured' '
	make_project proj &&
	steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" \
		--param "cflags=-O0;-fno-such-flag-at-all;-O2" -n 1 --metric valgrind-ir \
		-o f.json -- "{dir}/prog 1000" >out 2>err &&
	grep "^- *2 *-fno-such-flag-at-all *build failed (log: .*build.log)" out &&
	grep "build of cflags=-fno-such-flag-at-all failed: exited with code" err &&
	grep "fno-such-flag-at-all" err | grep -v "^steady:" &&
	grep "1 of 3 configurations did not build" err &&
	grep "\"status\": \"build failed\"" f.json &&
	grep "^configurations: 3, 2 measured" out
'

test_expect_success 'A/B: a patch that adds real work is SLOWER in every configuration' '
	make_project proj && make_real_work_patch proj work.diff &&
	checksum_tree proj >before &&
	steady sweep --builds "$PWD/builds" --src proj --patch work.diff --build "$BUILD" \
		-L cc=gcc,clang --param "cflags=-O1;-O2" -n 2 --metric valgrind-ir \
		-o ab.json --export-csv ab.csv -- "{dir}/prog 5000" >out &&
	checksum_tree proj >after && test_cmp_files before after &&
	grep "^#  cc *cflags *A *B *B/A *verdict" out &&
	test $(grep -c "^[1-4]  .* SLOWER " out) = 4 &&
	grep "^SLOWER     with cc=gcc cflags=-O1; cc=gcc cflags=-O2; cc=clang cflags=-O1; cc=clang cflags=-O2$" out &&
	grep "\"mode\": \"ab\"" ab.json &&
	test $(grep -c "\"side\": \"B\"" ab.json) = 4 &&
	test $(grep -c "SLOWER" ab.csv) = 4 &&
	# two trees give the same answer
	steady sweep --builds "$PWD/builds" --src-a proj --src-b proj.b --build "$BUILD" \
		--param "cflags=-O2" -n 2 --metric valgrind-ir -- "{dir}/prog 5000" >out2 &&
	grep "^1  -O2 .* SLOWER " out2
'

test_expect_success 'A/B: git revisions, one of them the work tree; parameters in the run command' '
	make_project repo && make_real_work_patch repo work.diff &&
	(cd repo && git init -q && git add . &&
	 git -c user.name=t -c user.email=t@t commit -qm base &&
	 patch -s -p1 <../work.diff && git -c user.name=t -c user.email=t@t commit -qam work) &&
	steady sweep --builds "$PWD/builds" --src repo --rev-a HEAD~1 --rev-b HEAD --build "$BUILD" \
		--param "cflags=-O2" -n 2 --metric valgrind-ir -- "{dir}/prog 5000" >revs &&
	grep "^1  -O2 .* SLOWER " revs &&
	(cd repo && git -c user.name=t -c user.email=t@t revert --no-edit HEAD >/dev/null && patch -s -p1 <../work.diff) &&
	steady sweep --builds "$PWD/builds" --src repo --rev-a HEAD --build "$BUILD" \
		--param "cflags=-O2" -n 2 --metric valgrind-ir -- "{dir}/prog 5000" >worktree &&
	grep "^1  -O2 .* SLOWER " worktree &&
	steady sweep --builds "$PWD/builds" --src repo --build "$BUILD" -L n=1000,3000 \
		-n 1 --metric valgrind-ir -o n.json -- "{dir}/prog {n}" >params 2>err &&
	! grep placeholder err && grep "^1  *1  *1000 " params &&
	! grep "\"text_bytes\": null" n.json
'

test_expect_success 'A/B with layout variants: each configuration gets layout verdict' '
	make_project proj && make_real_work_patch proj work.diff &&
	steady sweep --builds "$PWD/builds" --src proj --patch work.diff --build "$BUILD" \
		--param "cflags=-O2" --layout-variants 2 -n 2 --metric valgrind-ir \
		-o lv.json -- "{dir}/prog 5000" >out &&
	grep "^#  cflags .* layout" out &&
	grep "^1  -O2 .* SLOWER  *\(REAL CHANGE (SLOWER)\|UNRESOLVED\|LAYOUT ARTEFACT\)" out &&
	grep "^averaged over layouts (the verdict column is the default build.s alone):$" out &&
	grep "\"layout_variants\": 2" lv.json &&
	test $(grep -c "falign-functions" lv.json) = 4 &&
	grep "\"averaged_ratio\"" lv.json
'

test_expect_success 'ranking with layout variants: a gap to the fastest judged against layout' '
	make_project proj &&
	steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" \
		--param "cflags=-O2;-O2 -DSPARE=1;-O0" --layout-variants 2 -n 2 --metric valgrind-ir \
		-o rl.json -- "{dir}/prog 3000" >out &&
	grep "^rank  #  cflags  *median .* layout " out &&
	grep "^the gaps to the fastest judged against layout after the runs" out &&
	# -O0 runs more instructions in every layout; the two -O2 builds are the same code
	grep "^3  *3  *-O0 .* slower beyond layout " out &&
	test $(grep -c "\"note\": \"\(within layout noise\|layout unresolved\|slower beyond layout\)\"" rl.json) = 2
'

test_expect_success 'gcc PGO: instrumented build, training, then the build that uses the profile' '
	make_project proj &&
	steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" -L cc=gcc \
		--param "cflags=-O2" --pgo gcc --pgo-train "{dir}/prog 3000" \
		-n 1 --metric valgrind-ir -o pgo.json -- "{dir}/prog 1000" >out 2>err &&
	grep "^configurations: 2, 2 measured" out &&
	! grep "same as without PGO" err &&
	grep "^[12]  *[12]  *gcc  *-O2  *pgo " out && grep "^[12]  *[12]  *gcc  *-O2  *-  " out &&
	key=$(ls builds/*/gen -d | head -1) && entry=${key%/gen} &&
	ls "$entry"/profile/*.gcda >/dev/null &&
	gen=$(grep -n "fprofile-generate" "$entry/build.log" | head -1 | cut -d: -f1) &&
	train=$(grep -n "prog 3000" "$entry/build.log" | head -1 | cut -d: -f1) &&
	use=$(grep -n "fprofile-use" "$entry/build.log" | head -1 | cut -d: -f1) &&
	test "$gen" -lt "$train" && test "$train" -lt "$use" &&
	! grep -i "warning" "$entry/build.log" &&
	grep "\"compiler_family\": \"gcc\"" pgo.json
'

if ! command -v clang >/dev/null; then
	test_skip 'clang PGO: llvm-profdata merges the training profile' 'clang is not installed'
elif ! command -v llvm-profdata >/dev/null && ! test -x "$(clang -print-prog-name=llvm-profdata)"; then
	test_skip 'clang PGO: llvm-profdata merges the training profile' 'llvm-profdata missing (Debian package llvm)'
else
test_expect_success 'clang PGO: llvm-profdata merges the training profile' '
	make_project proj &&
	steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" -L cc=clang \
		--param "cflags=-O2" --pgo clang -n 1 --metric valgrind-ir -- "{dir}/prog 1000" >out &&
	grep "^configurations: 2, 2 measured" out &&
	entry=$(ls -d builds/*/gen | head -1) && entry=${entry%/gen} &&
	test -s "$entry/profile/merged.profdata" &&
	gen=$(grep -n "fprofile-instr-generate" "$entry/build.log" | head -1 | cut -d: -f1) &&
	use=$(grep -n "fprofile-instr-use" "$entry/build.log" | head -1 | cut -d: -f1) &&
	test "$gen" -lt "$use"
'
fi

test_expect_success 'bad input: one line and exit 2, nothing built' '
	make_project proj &&
	test_expect_code 2 steady sweep --src proj -- "{dir}/prog" 2>e1 && test_one_error_line e1 &&
	grep "needs --build" e1 &&
	test_expect_code 2 steady sweep --src proj --build "make -C {dir}" --pgo gcc -- "{dir}/prog" 2>e2 &&
	test_one_error_line e2 && grep "{cflags}" e2 &&
	test_expect_code 2 steady sweep --src proj --build "$BUILD" --pgo-train x -- "{dir}/prog" 2>e3 &&
	test_one_error_line e3 && grep "needs --pgo" e3 &&
	test_expect_code 2 steady sweep --src proj --build "$BUILD" -L dir=a,b -- "{dir}/prog" 2>e4 &&
	test_one_error_line e4 && grep "own placeholder" e4 &&
	test_expect_code 2 steady sweep --src proj --build "$BUILD" -L cc=gcc --exclude "cflags=-O2" -- "{dir}/prog" 2>e5 &&
	test_one_error_line e5 && grep "no parameter is named" e5 &&
	test_expect_code 2 steady sweep --src proj --build "$BUILD {nosuch}" -L cc=gcc -- "{dir}/prog" 2>e6 &&
	test_one_error_line e6 &&
	test_expect_code 2 steady sweep --src proj --build "$BUILD" -L cc -- "{dir}/prog" 2>e7 &&
	test_one_error_line e7 &&
	test_expect_code 2 steady sweep --src proj --patch nosuch.diff --build "$BUILD" --baseline 1 -- "{dir}/prog" 2>e8 &&
	test_one_error_line e8 && grep "baseline" e8 &&
	test_expect_code 2 steady sweep --builds "$PWD/proj/b" --src proj --build "$BUILD" -L cc=gcc,clang -- "{dir}/prog" 2>e9 &&
	test_one_error_line e9 && grep "inside the sources" e9 &&
	test_expect_code 2 steady sweep --builds "$PWD/builds" --src proj --build "$BUILD" \
		--param "cflags=-O0;-O2" --baseline 7 -n 1 -- "{dir}/prog" 2>e10 &&
	test_one_error_line e10 && grep "no configuration is numbered or labelled" e10 &&
	test_expect_code 2 steady sweep --src proj --build "$BUILD" --param "cflags=-O1;-O1" -- "{dir}/prog" 2>e11 &&
	test_one_error_line e11 && grep "twice" e11 &&
	test_expect_code 2 steady sweep --src proj --build "$BUILD" -L cc=gcc -- "{dir}/prog" 2>e12 &&
	test_one_error_line e12 && grep "two configurations or more" e12 &&
	test_expect_code 2 steady sweep --src proj --build "$BUILD" -L cc=gcc,clang -- "{dir}/prog {nosuch}" 2>e13 &&
	test_one_error_line e13 && grep "nosuch" e13 &&
	test_expect_code 2 steady sweep --src proj --build "$BUILD" -L n=1,2 --layout-variants 30 \
		--param "cflags=$(seq -s ";" 1 10 | sed "s/\([0-9]*\)/-O\1/g")" -- "{dir}/prog" 2>e14 &&
	test_one_error_line e14 && grep "at most 512" e14 &&
	test_expect_code 2 steady sweep --builds "$PWD/b 1" --src proj --build "$BUILD" -L cc=gcc,clang --pgo gcc -- "{dir}/prog" 2>e15 &&
	test_one_error_line e15 && grep "holds a blank" e15 && test ! -e "b 1" &&
	test_expect_code 2 steady sweep --src proj --build "$BUILD" -L cc=gcc,clang --pgo , -- "{dir}/prog" 2>e16 &&
	test_one_error_line e16 &&
	test ! -e proj/prog
'

test_done
