#!/usr/bin/env bash
# The toolchain modules on real compilers, lld and processes, through
# $TOOLCHAIN_DRIVER (tests/helper/toolchain-driver.c): builds of the
# fixture project tests/fixtures/layout-project with each perturbation's
# flags, relinks that compile nothing, failing and interrupted builds,
# placeholder values that must not become commands, and the ELF reader
# against readelf and nm.
. "$(dirname "$0")/lib.sh"

: "${TOOLCHAIN_DRIVER:?set TOOLCHAIN_DRIVER to the toolchain-driver binary}"
PROJECT=$FIXTURES/layout-project
BUILD_CMD='make -C {dir} CC={cc} CFLAGS="-O2 {cflags}" LDFLAGS="{ldflags}"'

drv() {
	"$TOOLCHAIN_DRIVER" "$@"
}

# build NAME DIR CC CFLAGS LDFLAGS: builds the project copy DIR once.
build() {
	drv build --name "$1" --dir "$PWD/$2" --log "$PWD/$1.log" --cc "$3" \
		--cflags "$4" --ldflags "$5" --build "$BUILD_CMD"
}

# flag_of WHAT PERTURBATION SEED I: the variant's cflags or ldflags.
flag_of() {
	drv flags "$2" "$3" "$4" | sed -n "s/^$1=//p"
}

# text_order PROG: the fixture's functions in address order, one a line.
text_order() {
	nm -n "$1" | awk '$2 ~ /^[Tt]$/ && $3 ~ /^(main|mix_|count_bits|checksum)/ { print $3 }'
}

# text_map PROG: address and name of the fixture's functions.
text_map() {
	nm -n "$1" | awk '$2 ~ /^[Tt]$/ && $3 ~ /^(main|mix_|count_bits|checksum)/ { print $1, $3 }'
}

# cc_wrapper CC: a directory with a CC first on PATH that logs, in
# $PWD/compiles.log, every call that compiles (-c) and then runs the real one.
cc_wrapper() {
	mkdir -p wrap &&
	printf '#!/bin/sh\ncase " $* " in *" -c "*) echo "$*" >>"%s/compiles.log" ;; esac\nexec %s "$@"\n' \
		"$PWD" "$(command -v "$1")" >"wrap/$1" &&
	chmod +x "wrap/$1"
}

compilers=
for cc in gcc clang; do
	if command -v $cc >/dev/null; then
		compilers="$compilers $cc"
	else
		test_skip "builds with $cc" "$cc is not installed"
	fi
done
has_lld=
command -v ld.lld >/dev/null && has_lld=1

for cc in $compilers; do
	if [ -z "$has_lld" ]; then
		test_skip "link-order with $cc" "ld.lld is not installed (Debian package lld)"
		continue
	fi
	test_expect_success "link-order with $cc: one compile, relinks that compile nothing, orders that differ" '
		cc_wrapper '$cc' && export PATH="$PWD/wrap:$PATH" &&
		cp -R "$PROJECT" default && cp -R "$PROJECT" base &&
		build default default '$cc' "" "" && rm compiles.log &&
		build base base '$cc' "$(drv base link-order | sed -n "s/^cflags=//p")" "" &&
		test "$(wc -l <compiles.log)" = 3 && grep -q -- -ffunction-sections compiles.log &&
		for i in 0 1 2; do
			cp -a base v$i && drv forget v$i prog && test ! -e v$i/prog &&
			rm -f compiles.log &&
			build v$i v$i '$cc' "$(flag_of cflags link-order 42 $i)" \
				"$(flag_of ldflags link-order 42 $i)" || return 1
			# a relink: the compiler ran, but compiled nothing
			test ! -e compiles.log || { cat compiles.log; return 1; }
			grep -q -- "--shuffle-sections=.text\*=" v$i.log || return 1
			test "$(v$i/prog 100)" = "$(default/prog 100)" || return 1
			text_order v$i/prog >v$i.order || return 1
		done &&
		text_order default/prog >default.order &&
		test_count_is 7 cat default.order &&
		! cmp -s v0.order v1.order && ! cmp -s v1.order v2.order && ! cmp -s v0.order v2.order &&
		! cmp -s default.order v0.order && ! cmp -s default.order v1.order &&
		! cmp -s default.order v2.order &&
		# the same seed gives the same order again
		cp -a base again && drv forget again prog &&
		build again again '$cc' "$(flag_of cflags link-order 42 1)" \
			"$(flag_of ldflags link-order 42 1)" &&
		text_order again/prog | cmp - v1.order
	'
done

for cc in $compilers; do
	test_expect_success "align with $cc: each variant compiled with its alignments, addresses differ" '
		cp -R "$PROJECT" default && build default default '$cc' "" "" &&
		text_map default/prog >default.map && test_count_is 7 cat default.map &&
		for i in 0 1 2; do
			cflags=$(flag_of cflags align 42 $i) &&
			falign=$(echo "$cflags" | sed -n "s/.*-falign-functions=\([0-9]*\).*/\1/p") &&
			test -n "$falign" && cp -R "$PROJECT" v$i &&
			build v$i v$i '$cc' "$cflags" "" &&
			grep -q -- "-falign-loops=" v$i.log &&
			test "$(v$i/prog 100)" = "$(default/prog 100)" &&
			text_map v$i/prog >v$i.map || return 1
			# every function starts at a multiple of its alignment
			while read -r addr name; do
				test $((0x$addr % falign)) = 0 ||
					{ echo "$name at $addr, not aligned to $falign"; return 1; }
			done <v$i.map
		done &&
		! cmp -s v0.map v1.map && ! cmp -s v1.map v2.map && ! cmp -s v0.map v2.map &&
		{ ! cmp -s default.map v0.map || ! cmp -s default.map v1.map; }
	'
done

test_expect_success 'a failing build shows its last lines and status; the others in the same run still build' '
	cp -R "$PROJECT" bad && cp -R "$PROJECT" good1 && cp -R "$PROJECT" good2 &&
	# enough errors for a log longer than the tail shown
	for i in $(seq 1 10); do echo "int broken$i(void) { return 1 }" >>bad/util.c || return 1; done &&
	test_expect_code 1 drv build -j 2 \
		--name good1 --dir "$PWD/good1" --log "$PWD/good1.log" --cc gcc --build "$BUILD_CMD" \
		--next --name bad --dir "$PWD/bad" --log "$PWD/bad.log" --cc gcc --build "$BUILD_CMD" \
		--next --name good2 --dir "$PWD/good2" --log "$PWD/good2.log" --cc gcc --build "$BUILD_CMD" \
		>out 2>err &&
	grep -x "good1 ok" out && grep -x "good2 ok" out &&
	grep -x "bad failed: exited with code 2" out &&
	test -x good1/prog && test -x good2/prog && test ! -e bad/prog &&
	grep -x "steady: error: build of bad failed: exited with code 2 (log: $PWD/bad.log)" err &&
	test "$(grep -c "^steady: error:" err)" = 1 &&
	grep -q "^    .*error: expected" err &&
	grep -q "^    make\(\[[0-9]*\]\)\?: \*\*\* .*Error 1" err &&
	# the tail, not the whole log
	test "$(grep -c "^    " err)" -le 15 && test "$(wc -l <bad.log)" -gt 15
'

test_expect_success 'several build commands run in order and the first failure stops them' '
	drv build --name v --dir "$PWD" --log "$PWD/v.log" \
		--build "touch one" --build "false" --build "touch three" >out 2>err
	test $? = 1 &&
	test -e one && test ! -e three &&
	grep -x "steady: error: build of v failed: command 2 of 3 exited with code 1 (log: $PWD/v.log)" err &&
	grep -x "    \$ false" err
'

test_expect_success 'a missing program or directory fails that build with one line' '
	test_expect_code 1 drv build --name v --dir "$PWD" --log "$PWD/v.log" \
		--build "no-such-make -C {dir}" >out 2>err &&
	grep -x "steady: error: build of v failed: cannot run .no-such-make.: command not found (log: $PWD/v.log)" err &&
	test_expect_code 1 drv build --name w --dir "$PWD/nowhere" --log "$PWD/w.log" \
		--build "true" >out 2>err &&
	grep "build of w failed: cannot build in .$PWD/nowhere." err
'

test_expect_success 'placeholder values never become commands' '
	printf "#!/bin/sh\nfor a in \"\$@\"; do printf \"[%%s]\\\\n\" \"\$a\"; done >>\"%s/args.log\"\n" \
		"$PWD" >show-args && chmod +x show-args &&
	nl="
" &&
	evil_cflags="-O2; touch $PWD/inj1 \$(touch $PWD/inj2) \`touch $PWD/inj3\` |touch $PWD/inj4" &&
	evil_ld="-lm${nl}touch $PWD/inj5" &&
	drv build --name v --dir "$PWD" --log "$PWD/v.log" --cc "gcc;touch $PWD/inj6" \
		--cflags "$evil_cflags" --ldflags "$evil_ld" \
		--build "{dir}/show-args CFLAGS=\"{cflags}\" CC={cc} {cflags} {ldflags}" &&
	ls &&
	for f in inj1 inj2 inj3 inj4 inj5 inj6; do test ! -e $f || return 1; done &&
	grep -Fx "[CFLAGS=$evil_cflags]" args.log &&
	grep -Fx "[CC=gcc;touch $PWD/inj6]" args.log &&
	grep -Fx "[\$(touch]" args.log && grep -Fx "[|touch]" args.log &&
	grep -Fx "[-lm]" args.log && grep -Fx "[$PWD/inj5]" args.log
'

test_expect_success 'only --shell runs a shell, and then the command is one string' '
	drv build --shell --name v --dir "$PWD" --log "$PWD/v.log" --seed 77 \
		--build "echo {seed} >seed.txt && echo done >>seed.txt" &&
	test "$(sed -n 1p seed.txt)" = 77 && test "$(sed -n 2p seed.txt)" = done &&
	test_expect_code 2 drv check-template "echo {seed} >seed.txt" 2>err &&
	test_one_error_line err && grep -- "--shell" err &&
	test_expect_code 2 drv check-template "make {cflgas}" 2>err &&
	test_one_error_line err && grep "unknown placeholder" err &&
	drv check-template "$BUILD_CMD"
'

test_expect_success 'relinking removes only a program inside the tree' '
	mkdir tree && touch tree/prog outside &&
	test_expect_code 2 drv forget tree ../outside 2>err && test_one_error_line err &&
	test_expect_code 2 drv forget tree "$PWD/outside" 2>err && test_one_error_line err &&
	ln -s .. tree/up &&
	test_expect_code 2 drv forget tree up/outside 2>err && test_one_error_line err &&
	test -e outside &&
	test_expect_code 2 drv forget tree missing 2>err && test_one_error_line err &&
	drv forget tree prog && test ! -e tree/prog &&
	touch tree/prog && drv forget tree "$PWD/tree/prog" && test ! -e tree/prog
'

for cc in $compilers; do
	test_expect_success "the ELF reader agrees with readelf and nm on a $cc build" '
		cp -R "$PROJECT" p && build p p '$cc' "" "" &&
		want=$(readelf -S -W p/prog | awk "\$2 == \".text\" { print \$6 }") &&
		test -n "$want" &&
		test "$(drv section-size p/prog .text)" = "$((0x$want))" &&
		test "$(drv section-size p/prog .text)" = \
			"$(size -A p/prog | awk "\$1 == \".text\" { print \$2 }")" &&
		test "$(drv section-size p/prog .data)" = \
			"$(size -A p/prog | awk "\$1 == \".data\" { print \$2 }")" &&
		test "$(drv symbol p/prog mix_add)" = \
			"$(nm p/prog | awk "\$3 == \"mix_add\" { sub(/^0+/, \"\", \$1); print \$1 }")" &&
		size=$(stat -c %s p/prog) &&
		for cut in 0 10 64 100 1000 $((size / 2)) $((size - 1)); do
			head -c $cut p/prog >cut &&
			test_expect_code 2 drv section-size cut .text 2>err &&
			test_one_error_line err || return 1
		done &&
		test_expect_code 2 drv section-size p/prog .no-such 2>err &&
		test_one_error_line err && grep "has no section" err
	'
done

test_expect_success 'an interrupt kills every running build at once' '
	# its own statement: "a && (exec ...) &" would put the list, a shell
	# ignoring SIGINT, in the background instead of the driver
	cmd="sh -c '\''echo \$\$ >>{dir}/pids; exec sleep 60'\''"
	(exec "$TOOLCHAIN_DRIVER" build -j 3 \
		--name a --dir "$PWD" --log "$PWD/a.log" --build "$cmd" \
		--next --name b --dir "$PWD" --log "$PWD/b.log" --build "$cmd" \
		--next --name c --dir "$PWD" --log "$PWD/c.log" --build "$cmd" \
		--next --name d --dir "$PWD" --log "$PWD/d.log" --build "$cmd" >out 2>err) &
	pid=$! &&
	wait_until 10 has_lines pids 3 &&
	stop_and_wait INT $pid &&
	test $rc = 130 &&
	test_count_is 3 cat pids &&
	for p in $(cat pids); do wait_until 5 process_gone $p || return 1; done &&
	test "$(grep -c " interrupted$" out)" = 4 &&
	test ! -s err
'

if [ -n "$has_lld" ] && command -v gcc >/dev/null; then
	test_expect_success 'the probes: link-order is the default with lld, align without it' '
		drv check link-order gcc && drv check align gcc &&
		test "$(drv default gcc)" = link-order &&
		mkdir nolld && for t in gcc as ld ld.bfd; do
			ln -s "$(command -v $t)" nolld/$t || return 1
		done &&
		PATH="$PWD/nolld" test_expect_code 1 "$TOOLCHAIN_DRIVER" check link-order gcc 2>err &&
		test_one_error_line err && grep "install the Debian package lld" err &&
		test "$(PATH="$PWD/nolld" "$TOOLCHAIN_DRIVER" default gcc)" = align &&
		printf "#!/bin/sh\ncase \"\$*\" in *-falign-loops*) echo \"unknown option\" >&2; exit 1 ;; esac\nexec gcc \"\$@\"\n" \
			>nolld/oldcc && chmod +x nolld/oldcc &&
		PATH="$PWD/nolld" test_expect_code 1 "$TOOLCHAIN_DRIVER" check align oldcc 2>err &&
		test_one_error_line err && grep "align needs a compiler" err &&
		test_expect_code 1 drv check align no-such-cc 2>err &&
		test_one_error_line err && grep "command not found" err
	'
else
	test_skip 'the probes' 'needs gcc and ld.lld'
fi

test_done
