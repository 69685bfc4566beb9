#!/usr/bin/env bash
# Private copies of a source tree and patches applied in them
# (src/toolchain/tree.c, patch.c), driven through build/toolchain-driver
# with real git, tar and patch: what a copy of a git work tree holds, that
# the user's tree is left byte for byte as it was, exports of revisions,
# and what a refused patch says.
. "$(dirname "$0")/lib.sh"

: "${TOOLCHAIN_DRIVER:?set TOOLCHAIN_DRIVER to build/toolchain-driver}"

# Neither the tester's git configuration nor the system's may change what
# git lists or refuses.
export HOME=$TEST_DIR GIT_CONFIG_NOSYSTEM=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE

driver() {
	if [ -n "${VALGRIND_STEADY:-}" ]; then
		"$VALGRIND" -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite "$TOOLCHAIN_DRIVER" "$@"
	else
		"$TOOLCHAIN_DRIVER" "$@"
	fi
}

# make_repo: ./repo, a git work tree holding every kind of file a copy
# must tell apart, and ./tmp for the driver's workspaces ($TMPDIR).
#   tracked:        .gitignore, run.sh (0755), src/a.c (edited since its
#                   commit), src/sub/b.c, "src/with space.c", src/link.c -> a.c
#   tracked, gone:  src/gone.c (deleted from the working tree)
#   untracked:      src/new.c
#   ignored:        src/a.o, build/prog (build products)
make_repo() {
	mkdir tmp &&
	git init -q repo && (
		cd repo &&
		git config user.email tester@example.com && git config user.name tester &&
		mkdir -p src/sub &&
		printf 'build/\n*.o\n' >.gitignore &&
		printf '#!/bin/sh\nmake\n' >run.sh && chmod 755 run.sh &&
		printf 'int a = 1;\n' >src/a.c &&
		printf 'int b;\n' >src/sub/b.c &&
		printf 'int s;\n' >"src/with space.c" &&
		printf 'int gone;\n' >src/gone.c &&
		ln -s a.c src/link.c &&
		git add -A && git commit -qm first &&
		printf 'int a = 2;\n' >src/a.c && git commit -qam second &&
		printf 'int a = 3; /* not committed */\n' >src/a.c &&
		rm src/gone.c &&
		printf 'int n;\n' >src/new.c &&
		printf 'object\n' >src/a.o &&
		mkdir build && printf 'binary\n' >build/prog
	)
}

# snapshot DIR: every entry of DIR (its .git too) with its mode and mtime
# to the nanosecond, every file's checksum, and git's status, taken without
# the optional index refresh that would itself write into .git.
snapshot() {
	snapshot_files "$1" && (cd "$1" && GIT_OPTIONAL_LOCKS=0 git status --porcelain)
}

# snapshot_files DIR: the same without git, for a directory outside git.
snapshot_files() {
	(cd "$1" &&
	 find . -printf '%p %M %T@\n' | LC_ALL=C sort &&
	 find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}

# listing DIR: files and symlinks under DIR, relative, sorted.
listing() {
	(cd "$1" && find . -mindepth 1 \( -type f -o -type l \) | LC_ALL=C sort)
}

test_expect_success 'copy of a git work tree: tracked and untracked files as edited, nothing ignored' '
	make_repo && snapshot repo >before &&
	TMPDIR=$PWD/tmp driver copy-sources repo copy &&
	snapshot repo >after && test_cmp_files before after &&
	cat >want <<-\EOF &&
	./.gitignore
	./run.sh
	./src/a.c
	./src/link.c
	./src/new.c
	./src/sub/b.c
	./src/with space.c
	EOF
	listing copy >got && test_cmp_files want got &&
	cmp repo/src/a.c copy/src/a.c && cmp repo/src/new.c copy/src/new.c &&
	test -L copy/src/link.c && test "$(readlink copy/src/link.c)" = a.c &&
	test "$(stat -c %a copy/run.sh)" = 755 &&
	test -z "$(ls -A tmp)"
'

test_expect_success 'copy of a subdirectory of the repository: its files, relative to it' '
	make_repo && snapshot repo >before &&
	driver copy-sources repo/src copy &&
	snapshot repo >after && test_cmp_files before after &&
	cat >want <<-\EOF &&
	./a.c
	./link.c
	./new.c
	./sub/b.c
	./with space.c
	EOF
	listing copy >got && test_cmp_files want got
'

test_expect_success 'export of HEAD~1 of a subdirectory and of HEAD of the whole tree' '
	make_repo && snapshot repo >before &&
	TMPDIR=$PWD/tmp driver export repo/src HEAD~1 old &&
	TMPDIR=$PWD/tmp driver export repo HEAD whole &&
	snapshot repo >after && test_cmp_files before after &&
	test "$(cat old/a.c)" = "int a = 1;" && test -f old/gone.c && test ! -e old/new.c &&
	test -f old/sub/b.c && test ! -e old/.gitignore &&
	test "$(cat whole/src/a.c)" = "int a = 2;" && test -x whole/run.sh &&
	test ! -e whole/.git && test ! -e whole/build &&
	test -z "$(ls -A tmp)"
'

test_expect_success 'export of a bad revision: one error line quoting git, exit 2, nothing made' '
	make_repo &&
	TMPDIR=$PWD/tmp test_expect_code 2 driver export repo no-such-rev out 2>err &&
	test_one_error_line err && grep "no-such-rev" err && grep "not a valid object name" err &&
	test ! -e out && test -z "$(ls -A tmp)" &&
	test_expect_code 2 driver export repo --output=x out 2>err &&
	test_one_error_line err && test ! -e x && test ! -e repo/x
'

# make_project: ./proj (not a git repository) with a.c and b.c of twenty
# numbered lines each, and ./fix.diff changing line 2 of a.c and lines 2
# and 15 of b.c (b.c in two hunks), written by git diff.
make_project() {
	mkdir proj &&
	seq 1 20 >proj/a.c && seq 1 20 >proj/b.c &&
	cp -r proj edited &&
	sed -i "2s/.*/two/" edited/a.c &&
	sed -i -e "2s/.*/two/" -e "15s/.*/fifteen/" edited/b.c &&
	{ git diff --no-index proj edited >raw.diff; test $? = 1; } &&
	sed -e "s|a/proj/|a/|g" -e "s|b/edited/|b/|g" raw.diff >fix.diff &&
	test "$(grep -c "^@@" fix.diff)" = 3
}

no_leftovers() {
	if find "$1" -name "*.orig" -o -name "*.rej" | grep .; then
		echo "backup or reject files left in $1"
		return 1
	fi
}

test_expect_success 'a two-file patch applies in the copy; no .orig or .rej; patch file unchanged' '
	make_project && sha256sum fix.diff >sum &&
	driver copy-sources proj copy &&
	driver apply copy fix.diff &&
	cmp copy/a.c edited/a.c && cmp copy/b.c edited/b.c &&
	no_leftovers copy && sha256sum -c --quiet sum &&
	cmp proj/a.c <(seq 1 20)
'

test_expect_success 'a second hunk that does not apply: the copy, file and hunk named, the hunk shown, nothing changed' '
	make_project &&
	sed -i "15s/.*/FIFTEEN/" proj/b.c &&
	sha256sum fix.diff >sum &&
	driver copy-sources proj copy && snapshot_files copy >before &&
	test_expect_code 2 driver apply copy fix.diff 2>err &&
	test "$(grep -c "^steady: error: " err)" = 1 &&
	head -n 1 err | grep -F "cannot apply '"'"'fix.diff'"'"' in '"'"'copy'"'"': hunk #2 of '"'"'b.c'"'"' failed" &&
	sed -n "/^@@ -12,7 +12,7 @@/,\$p" fix.diff | sed "s/^/    /" >want &&
	test "$(wc -l <want)" = 9 &&
	tail -n +2 err >got && test_cmp_files want got &&
	snapshot_files copy >after && test_cmp_files before after &&
	no_leftovers copy && sha256sum -c --quiet sum
'

test_expect_success 'a file that is not a patch: one error line' '
	make_project && echo "just some text" >notes.txt &&
	driver copy-sources proj copy &&
	test_expect_code 2 driver apply copy notes.txt 2>err &&
	test_one_error_line err && grep "not a patch" err &&
	cmp copy/a.c proj/a.c && no_leftovers copy
'

test_expect_success 'without patch on PATH, git apply applies it; without either, one line naming the package' '
	make_project && mkdir gitonly && ln -s "$(command -v git)" gitonly/git &&
	driver copy-sources proj copy &&
	PATH=$PWD/gitonly driver apply copy fix.diff &&
	cmp copy/a.c edited/a.c && cmp copy/b.c edited/b.c &&
	PATH=$PWD/gitonly test_expect_code 2 driver apply copy fix.diff 2>err &&
	test_one_error_line err && grep "git apply" err &&
	PATH=/nonexistent test_expect_code 2 "$TOOLCHAIN_DRIVER" apply copy fix.diff 2>err &&
	test_one_error_line err && grep "apt-get install patch" err
'

test_expect_success 'remove: a copy with read-only directories goes entirely' '
	make_repo &&
	driver copy-sources repo copy && chmod 555 copy/src/sub copy &&
	driver remove copy && test ! -e copy &&
	test_expect_code 2 driver remove copy 2>err && test_one_error_line err
'

test_expect_success 'build products left in the tree are not copied, tracked binaries are' '
	mkdir tmp plain &&
	printf "int x;\n" >plain/x.c &&
	cp "$HELPER" plain/prog && cp "$HELPER" plain/x.o &&
	printf "!<arch>\nmember\n" >plain/libx.a &&
	TMPDIR=$PWD/tmp driver copy-sources plain copy 2>err &&
	test -f copy/x.c && test ! -e copy/prog && test ! -e copy/x.o && test ! -e copy/libx.a &&
	grep "left 3 build products" err &&
	git init -q repo && cp plain/x.c repo/ && cp "$HELPER" repo/vendored.so &&
	git -C repo add x.c vendored.so &&
	git -C repo -c user.name=t -c user.email=t@t commit -qm one &&
	cp "$HELPER" repo/stale.o &&
	TMPDIR=$PWD/tmp driver copy-sources repo copy2 2>err &&
	test -f copy2/vendored.so && test ! -e copy2/stale.o &&
	grep "left 1 build product " err
'

test_expect_success 'a link leading out of the tree is refused; one inside is copied' '
	mkdir tmp outside inside &&
	printf "int o;\n" >outside/o.c && printf "int i;\n" >inside/i.c &&
	ln -s i.c inside/ok.c &&
	TMPDIR=$PWD/tmp driver copy-sources inside copy1 &&
	test -L copy1/ok.c &&
	ln -s "$PWD/outside" inside/abs &&
	test_expect_code 2 driver copy-sources inside copy2 2>err &&
	grep "links to .*outside the tree" err &&
	rm inside/abs && ln -s ../outside inside/up &&
	test_expect_code 2 driver copy-sources inside copy3 2>err &&
	grep "links to .\.\./outside., outside the tree" err &&
	test "$(ls outside)" = o.c
'

test_expect_success 'a link climbing out and back in is refused; links in an exported revision too' '
	mkdir tmp inside && printf "int y;\n" >inside/y.c &&
	up=$(pwd | sed "s|[^/][^/]*|..|g") &&
	ln -s "..$up$PWD/inside/y.c" inside/x.c &&
	test_expect_code 2 driver copy-sources inside copy 2>err &&
	grep "links to .*outside the tree" err &&
	git init -q repo && printf "int r;\n" >repo/r.c && ln -s /etc/passwd repo/out &&
	git -C repo add . && git -C repo -c user.name=t -c user.email=t@t commit -qm one &&
	TMPDIR=$PWD/tmp test_expect_code 2 driver export repo HEAD exported 2>err &&
	grep "links to ./etc/passwd., outside the tree" err
'

test_expect_success 'a nested repository and a submodule never checked out are copied' '
	mkdir tmp && git init -q sub && printf "int s;\n" >sub/s.c &&
	git -C sub add . && git -C sub -c user.name=t -c user.email=t@t commit -qm sub &&
	git init -q top && printf "int t;\n" >top/t.c &&
	git -C top -c protocol.file.allow=always submodule -q add "$PWD/sub" sm &&
	git -C top add . && git -C top -c user.name=t -c user.email=t@t commit -qm top &&
	git clone -q top clone && test -d clone/sm && test -z "$(ls -A clone/sm)" &&
	TMPDIR=$PWD/tmp driver copy-sources clone copy1 &&
	test -f copy1/t.c && test -d copy1/sm &&
	TMPDIR=$PWD/tmp driver copy-sources top copy2 &&
	test -f copy2/sm/s.c &&
	git init -q top/nested && printf "int n;\n" >top/nested/n.c &&
	TMPDIR=$PWD/tmp driver copy-sources top copy3 &&
	test -f copy3/nested/n.c
'

test_done
