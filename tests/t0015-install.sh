#!/usr/bin/env bash
# Installing steady like a tool: the man pages (groff finds nothing to warn
# about, one per command, every option of every --help in its page, the
# exit codes as --help and README.md say them), bash and zsh completion
# (generated from --help: commands, options, events from steady list), and
# make install / make uninstall into a DESTDIR, file by file.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MAN=$ROOT/man
BUILD=$(dirname "$STEADY")
COMPLETION=$BUILD/completion

# commands: the commands steady --help lists, one a line.
commands() {
	steady --help | awk '/^commands:/ { on = 1; next } on && /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}

# man_text PAGE: the page as plain text, one paragraph a line (no wrapping,
# so no word is hyphenated), spaces squeezed.
man_text() {
	MANWIDTH=10000 man -E UTF-8 -l "$1" 2>/dev/null | col -b | tr -s " \t" "  "
}

# long_options CMD: every --option steady CMD --help names, one a line.
long_options() {
	steady "$1" --help | grep -oE -- "--[a-zA-Z0-9][a-zA-Z0-9-]*" | sort -u
}

# exit_codes_of_help CMD: the "Exit codes:" paragraph of steady CMD --help, on one line.
exit_codes_of_help() {
	steady "$1" --help | sed -n "/^Exit codes:/,\$p" | tr -s " \n" "  " | sed "s/ \$//"
}

# readme_exit_codes: the rows of README.md's exit-code table as "CODE MEANING",
# without Markdown's backquotes.
readme_exit_codes() {
	sed -n "/^### Exit codes/,/^## /p" "$ROOT/README.md" | grep "^| [0-9]" |
		sed "s/^| \([0-9]*\) | \(.*\) |\$/\1 \2/; s/\`//g"
}

# complete WORD...: what the bash completion offers for the last WORD of
# the command line WORD..., one a line, sorted (COMP_WORDS[0] is the steady
# under test, so event names come from it).
complete() {
	bash -c '. "$1" && shift && COMP_WORDS=("$@") && COMP_CWORD=$(($# - 1)) &&
		COMP_LINE="$*" && COMP_POINT=${#COMP_LINE} && { _steady; true; } &&
		printf "%s\n" "${COMPREPLY[@]}"' sh "$COMPLETION/steady.bash" "$STEADY" "$@" |
		grep . | sort
}

# events: the event names steady list shows, aliases too (not the raw
# rNNNN), sorted.
events() {
	steady list | awk '/^Raw/ { exit } /^  [^ ]/ { print $1; if ($2 == "OR") print $3 }' | sort
}

# option_names CMD: the --options of the option and usage lines of steady
# CMD --help (not the ones its prose mentions), one a line.
option_names() {
	steady "$1" --help | grep -E "^(  |      )-|^(usage:)? +steady " |
		grep -oE -- "--[a-zA-Z0-9][a-zA-Z0-9-]*" | sort -u
}

# --- man pages ---

test_expect_success 'every man page is one groff formats without a warning' '
	test_count_is 15 ls "$MAN" &&
	for page in "$MAN"/*.1; do
		man --warnings -E UTF-8 -l "$page" >/dev/null 2>err || { cat err; return 1; }
		if [ -s err ]; then echo "$page:"; cat err; return 1; fi
	done
'

test_expect_success 'every command of steady --help has its page, and every page a command' '
	test_count_is 14 commands &&
	for cmd in $(commands); do
		test -f "$MAN/steady-$cmd.1" || { echo "no man/steady-$cmd.1"; return 1; }
	done &&
	for page in "$MAN"/steady-*.1; do
		name=$(basename "$page" .1) &&
		commands | grep -qx "${name#steady-}" || { echo "$page: no such command"; return 1; }
	done
'

test_expect_success 'every option a command --help names is in its man page' '
	for cmd in $(commands); do
		text=$(man_text "$MAN/steady-$cmd.1") &&
		opts=$(long_options "$cmd") && test -n "$opts" || return 1
		for opt in $opts; do
			printf "%s\n" "$text" | grep -qF -- "$opt" ||
				{ echo "steady-$cmd.1 lacks $opt"; return 1; }
		done
	done
'

test_expect_success 'every option a man page describes is one the command takes' '
	for cmd in $(commands); do
		help=$(steady "$cmd" --help) &&
		for opt in $(grep "^\.It Fl" "$MAN/steady-$cmd.1" |
			     grep -oE "Fl (\\\\-)?[a-zA-Z0-9][a-zA-Z0-9-]*" | sed "s/^Fl //; s/^\\\\-/--/; s/^\([^-]\)/-\1/"); do
			case $opt in -h|--help) continue ;; esac
			printf "%s\n" "$help" | grep -qE -- "(^|[ ,/])$opt([ ,=/]|\$)" ||
				{ echo "steady-$cmd.1 describes $opt, steady $cmd --help does not"; return 1; }
		done
	done
'

test_expect_success 'each command page gives the exit codes its --help gives' '
	for cmd in $(commands); do
		want=$(exit_codes_of_help "$cmd") && test -n "$want" &&
		man_text "$MAN/steady-$cmd.1" | tr "\n" " " | tr -s " " | grep -qF -- "$want" ||
			{ echo "steady-$cmd.1 lacks: $want"; return 1; }
	done
'

test_expect_success 'steady(1) has README.md exit-code table, row by row in the same words' '
	test_count_is 5 readme_exit_codes &&
	man_text "$MAN/steady.1" | sed -n "/^EXIT STATUS/,/^EXAMPLES/p" | tr "\n" " " | tr -s " " >exit.txt &&
	readme_exit_codes >rows &&
	while read -r row; do
		grep -qF -- "$row" exit.txt || { echo "steady.1 lacks: $row"; cat exit.txt; return 1; }
	done <rows &&
	test_count_is 5 grep -oE "(^| )(0|1|2|3|130) [a-z]" exit.txt
'

# --- bash completion ---

test_expect_success 'bash: steady TAB offers the commands' '
	commands | sort >want &&
	complete "" | grep -v "^-" >got &&
	test_cmp_files want got &&
	complete "" | grep -qx -- "--help"
'

test_expect_success 'bash: steady run --mi offers --min-runs, --ma the --max- options' '
	test "$(complete run --mi)" = "--min-runs" &&
	printf "%s\n" --max-runs --max-time >want &&
	complete run --ma >got && test_cmp_files want got
'

test_expect_success 'bash: a command and a dash offer every option its --help names' '
	for cmd in $(commands); do
		complete "$cmd" - >got &&
		test -n "$(option_names "$cmd")" &&
		for opt in $(option_names "$cmd"); do
			grep -qx -- "$opt" got || { echo "steady $cmd -<TAB> lacks $opt"; return 1; }
		done
	done
'

test_expect_success 'bash: -e and --metric offer the events of steady list' '
	events >want && test -s want &&
	complete stat -e "" >got && test_cmp_files want got &&
	complete stat --events = page | grep -qx page-faults &&
	test "$(complete stat -e task-clock,cpu-mi)" = "task-clock,cpu-migrations" &&
	complete run --metric "" >got &&
	grep -qx wall got && grep -qx valgrind-ir got && grep -qx task-clock got &&
	test "$(complete compare --metric = valg)" = "valgrind-ir"
'

test_expect_success 'bash: the values offered for --estimator and --perturb are those --help names' '
	printf "%s\n" hl mean median min >want &&
	complete compare --estimator "" >got && test_cmp_files want got &&
	for v in $(cat got); do
		steady compare --help | grep -A2 -- "--estimator" | grep -qw -- "$v" || return 1
	done &&
	printf "%s\n" align env link-order >want &&
	complete layout --perturb "" >got && test_cmp_files want got &&
	for v in $(cat got); do
		steady layout --help | grep -A6 -- "--perturb" | grep -qw -- "$v" || return 1
	done
'

test_expect_success 'bash: system offers its subcommands once; -o and --src offer files and directories' '
	printf "%s\n" reset show tune >want &&
	complete system "" >got && test_cmp_files want got &&
	test -z "$(complete system show "")" &&
	mkdir subdir && touch results.json &&
	complete run -o "" >got && grep -qx results.json got && grep -qx subdir got &&
	complete layout --src "" >got && grep -qx subdir got && ! grep -qx results.json got
'

test_expect_success 'bash: after -- no options are offered' '
	test -z "$(complete run -- --mi)"
'

# --- zsh completion ---

if command -v zsh >/dev/null 2>&1; then
	# zsh_complete LINE WANT: zsh, with steady's completion loaded, is
	# given LINE and a tab on a pseudo-terminal; WANT must show on its line
	# within 10 s (zle adds what it completes to what was typed).
	zsh_complete() {
		mkdir -p zbin && ln -sf "$STEADY" zbin/steady &&
		timeout 30 zsh -f -c '
		zmodload zsh/zpty
		zpty z "PS1=\"%% \" TERM=dumb zsh -f -i"
		zpty -w z "fpath=($1 \$fpath); autoload -U compinit; compinit -u -D; PATH=$2:\$PATH; setopt nobeep"
		zpty -w -n z "$3"$'"'"'\t'"'"'
		out=
		for (( i = 0; i < 100; i++ )); do
			sleep 0.1
			while zpty -r -t z chunk 2>/dev/null; do out+=$chunk; done
			[[ $out == *"$4"* ]] && break
		done
		zpty -d z
		[[ $out == *"$4"* ]] || { print -r -- "zsh showed: $out"; exit 1; }' \
			zsh "$COMPLETION" "$PWD/zbin" "$1" "$2"
	}
	test_expect_success 'zsh: the completion is valid zsh' '
		zsh -n "$COMPLETION/_steady"
	'
	test_expect_success 'zsh: commands, options and event names complete' '
		zsh_complete "steady sy" "steady system " &&
		zsh_complete "steady system t" "steady system tune " &&
		zsh_complete "steady run --mi" "steady run --min-runs=" &&
		zsh_complete "steady stat -e page" "steady stat -e page-faults" &&
		zsh_complete "steady run --metric valg" "steady run --metric valgrind-ir " &&
		zsh_complete "steady compare --estimator h" "steady compare --estimator hl "
	'
else
	test_skip 'zsh: the completion is valid zsh' 'zsh is not installed'
	test_skip 'zsh: commands, options and event names complete' 'zsh is not installed'
fi

# --- README examples ---

# fake_readme FILE: a README with two examples and a plain code block.
fake_readme() {
	cat >"$1" <<-\EOF
	# title
	<!-- example: one -->
	```
	$ echo one
	old output
	$ printf "%s\n" two \
	      three
	old
	```
	```
	$ echo not an example
	stays
	```
	<!-- example: other -->
	```
	$ echo other
	old
	```
	EOF
}

test_expect_success 'readme-examples.sh puts what each example command prints now in its place' '
	fake_readme R.md &&
	README=$PWD/R.md "$ROOT/scripts/readme-examples.sh" 2>log &&
	cat >want <<-\EOF &&
	# title
	<!-- example: one -->
	```
	$ echo one
	one

	$ printf "%s\n" two \
	      three
	two
	three
	```
	```
	$ echo not an example
	stays
	```
	<!-- example: other -->
	```
	$ echo other
	other
	```
	EOF
	test_cmp_files want R.md
'

test_expect_success 'readme-examples.sh NAME runs that example only; an unknown NAME or a steady error changes nothing' '
	fake_readme R.md &&
	README=$PWD/R.md "$ROOT/scripts/readme-examples.sh" other 2>log &&
	grep -qx "old output" R.md && grep -qx other R.md &&
	cp R.md before &&
	test_expect_code 1 env README=$PWD/R.md "$ROOT/scripts/readme-examples.sh" nosuch 2>err &&
	grep -q "no example .nosuch." err &&
	sed -i "s|^\$ echo other|\$ $STEADY run --no-such-option true|" R.md && cp R.md before &&
	test_expect_code 1 env README=$PWD/R.md "$ROOT/scripts/readme-examples.sh" 2>err &&
	grep -q "other: .* failed" err &&
	test_cmp_files before R.md
'

test_expect_success 'the README examples call build/steady, and each is marked for readme-examples.sh' '
	test_count_is 0 grep -n "^\$ steady " "$ROOT/README.md" &&
	test_count_is 11 grep "^<!-- example: " "$ROOT/README.md"
'

# --- make install / make uninstall ---

# installed: every file and symbolic link under DIR, relative, sorted.
installed() {
	(cd "$1" && find . ! -type d | sort)
}

# make_in_root TARGET VAR=VALUE...: the top Makefile, with the build under
# test and none of the calling make's flags.
make_in_root() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s --no-print-directory -C "$ROOT" BUILD="$BUILD" "$@"
}

test_expect_success 'make install puts exactly the binary, audit library, man pages and completions in place' '
	D=$PWD/dest &&
	make_in_root install DESTDIR="$D" PREFIX=/opt/st >log 2>&1 || { cat log; return 1; }
	{
		echo ./opt/st/bin/steady
		echo ./opt/st/lib/steady/libsteady-audit.so
		for p in "$MAN"/*.1; do echo "./opt/st/share/man/man1/$(basename "$p")"; done
		echo ./opt/st/share/bash-completion/completions/steady
		echo ./opt/st/share/zsh/site-functions/_steady
	} | sort >want &&
	installed "$D" >got && test_cmp_files want got &&
	test -x "$D/opt/st/bin/steady" &&
	"$D/opt/st/bin/steady" --version | grep -q "^steady " &&
	MANPATH="$D/opt/st/share/man" man -w steady-compare | grep -qx "$D/opt/st/share/man/man1/steady-compare.1" &&
	test_cmp_files "$COMPLETION/steady.bash" "$D/opt/st/share/bash-completion/completions/steady"
'

test_expect_success 'the installed steady trace finds its audit library in ../lib/steady' '
	D=$PWD/dest &&
	make_in_root install DESTDIR="$D" PREFIX=/usr >log 2>&1 || { cat log; return 1; }
	"$D/usr/bin/steady" trace --top 3 "$HELPER writes 1" "$HELPER writes 3" >out 2>err ||
		{ cat out err; return 1; }
	grep -q "^Library calls" out
'

test_expect_success 'make uninstall removes exactly what install wrote' '
	D=$PWD/dest &&
	mkdir -p "$D/opt/st/share/man/man1" &&
	echo mine >"$D/opt/st/share/man/man1/other.1" &&
	make_in_root install DESTDIR="$D" PREFIX=/opt/st >log 2>&1 &&
	make_in_root uninstall DESTDIR="$D" PREFIX=/opt/st >log 2>&1 || { cat log; return 1; }
	echo ./opt/st/share/man/man1/other.1 >want &&
	installed "$D" >got && test_cmp_files want got &&
	test ! -e "$D/opt/st/lib/steady" &&
	make_in_root uninstall DESTDIR="$D" PREFIX=/opt/st >log 2>&1 || { cat log; return 1; }
'

test_done
