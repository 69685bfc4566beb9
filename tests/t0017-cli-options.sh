#!/usr/bin/env bash
# What every command's option parser shares: long options typed in full
# (no getopt prefixes), hyperfine's --output refused naming steady's
# options, --version after any command and steady -V, --color and NO_COLOR.
. "$(dirname "$0")/lib.sh"

COMMANDS="run compare stat list layout cache trace system"

test_expect_success 'an abbreviated long option is refused on every command, naming the full one' '
	test_count_is 8 printf "%s\n" $COMMANDS &&
	for c in $COMMANDS; do
		test_expect_code 2 steady $c --hel 2>err &&
		test_one_error_line err &&
		grep -F "unknown option '\''--hel'\'': long options are not abbreviated, did you mean '\''--help'\''? (see '\''steady $c --help'\'')" err ||
		{ echo "in $c"; return 1; }
	done
'

test_expect_success 'an abbreviation with its value, joined or apart, runs nothing' '
	test_expect_code 2 steady run --see 3 -n 1 -- "$HELPER" touch ran 2>err &&
	test_one_error_line err && grep "'\''--see'\''.*'\''--seed'\''" err &&
	test_expect_code 2 steady run --ru=2 -- "$HELPER" touch ran 2>err &&
	test_one_error_line err && grep "'\''--ru'\''.*'\''--runs'\''" err &&
	test_expect_code 2 steady stat --repe 2 -- "$HELPER" touch ran 2>err &&
	test_one_error_line err && grep "did you mean '\''--repeat'\''" err &&
	test_expect_code 2 steady compare --fail-if 5 -n 1 -- "$HELPER touch ran" "$HELPER touch ran" 2>err &&
	test_one_error_line err && grep "'\''--fail-if-slower'\''" err &&
	test_expect_code 2 steady system sh --js 2>err &&
	test_one_error_line err && grep "'\''--json'\''" err &&
	test ! -e ran
'

test_expect_success 'full names, and an exact name that is a prefix of another, still work' '
	steady run --runs=2 --seed 3 -o r.json -- "$HELPER" exit 0 >out &&
	grep "^Benchmark: " out &&
	steady stat --event task-clock --repeat 2 -- "$HELPER" exit 0 >out &&
	grep "task-clock" out
'

test_expect_success 'hyperfine'\''s --output=pipe|null|inherit|FILE names --show-output and -o, writes nothing' '
	for v in --output=pipe --output=null --output=inherit --output=out.txt; do
		test_expect_code 2 steady run -n 1 $v -- "$HELPER" exit 0 >out 2>err &&
		test_one_error_line err &&
		grep -F "steady has no --output: --show-output lets the command'\''s output through, -o FILE saves the results, --json prints them (see '\''steady run --help'\'')" err &&
		test ! -s out || { echo "for $v"; return 1; }
	done &&
	test_expect_code 2 steady run -n 1 --output pipe -- "$HELPER" exit 0 2>err &&
	test_one_error_line err && grep "show-output" err &&
	for c in compare stat layout cache trace; do
		test_expect_code 2 steady $c --output=pipe a b 2>err &&
		test_one_error_line err && grep -- "-o FILE saves the results" err ||
		{ echo "in $c"; return 1; }
	done &&
	test_expect_code 2 steady list --output=x 2>err &&
	test_one_error_line err && grep "unknown option '\''--output'\''" err &&
	test ! -e pipe && test ! -e null && test ! -e inherit && test ! -e out.txt
'

test_expect_success 'steady -V, --version and every command'\''s --version print the version, exit 0' '
	steady -V >v && echo "steady 0.1.0" >want && test_cmp_files want v &&
	steady --version >v && test_cmp_files want v &&
	for c in $COMMANDS; do
		steady $c --version >v 2>err && test_cmp_files want v && test ! -s err ||
		{ echo "in $c"; return 1; }
	done &&
	steady run --version -- "$HELPER" touch ran >v && test_cmp_files want v && test ! -e ran
'

test_expect_success 'every --help mentions --version, and the commands that colour --color' '
	for c in $COMMANDS; do
		steady $c --help >h && grep -q -- "--version" h || { echo "in $c"; return 1; }
	done &&
	for c in run compare stat layout system; do
		steady $c --help >h && grep -q -- "--color WHEN" h || { echo "in $c"; return 1; }
	done &&
	steady --help >h && grep -q -- "-V" h && grep -q "3 not tuned" h
'

# A tuned fake machine: system show prints OK in green on colour.
tuned_root() {
	mkdir -p "$1/proc/sys/kernel" && echo 2 >"$1/proc/sys/kernel/randomize_va_space"
}

test_expect_success '--color=always colours a pipe, even with NO_COLOR; never and auto do not' '
	tuned_root r &&
	steady run -n 2 --color=always -- "$HELPER" exit 0 >out &&
	grep -q "$(printf "\033\\[")" out &&
	NO_COLOR=1 steady run -n 2 --color always -- "$HELPER" exit 0 >out &&
	grep -q "$(printf "\033\\[")" out &&
	steady run -n 2 --color=never -- "$HELPER" exit 0 >out &&
	! grep -q "$(printf "\033")" out &&
	steady run -n 2 --color=auto -- "$HELPER" exit 0 >out &&
	! grep -q "$(printf "\033")" out &&
	steady system show --color=always --root "$PWD/r" >out &&
	grep -q "$(printf "\033\\[32mOK")" out &&
	steady system show --root "$PWD/r" >out &&
	! grep -q "$(printf "\033")" out
'

if command -v script >/dev/null; then
test_expect_success 'on a terminal, auto colours unless NO_COLOR is set; never does not' '
	script -qec "$STEADY run -n 2 -- $HELPER exit 0" /dev/null >out &&
	grep -q "$(printf "\033\\[1m")" out &&
	NO_COLOR=1 script -qec "$STEADY run -n 2 -- $HELPER exit 0" /dev/null >out &&
	! grep -q "$(printf "\033\\[1m")" out &&
	script -qec "$STEADY run -n 2 --color=never -- $HELPER exit 0" /dev/null >out &&
	! grep -q "$(printf "\033\\[1m")" out
'
else
	test_skip 'on a terminal, auto colours unless NO_COLOR is set; never does not' 'script (util-linux) is missing'
fi

test_expect_success 'a bad --color value: one line, exit 2' '
	test_expect_code 2 steady run --color=sometimes -- "$HELPER" touch ran 2>err &&
	test_one_error_line err && grep "expected auto, always or never" err &&
	test_expect_code 2 steady system show --color=yes 2>err &&
	test_one_error_line err &&
	test ! -e ran
'

test_expect_success '-r counts runs as hyperfine and perf stat spell it; hyperfine'"'"'s -n NAME is explained' '
	steady run -r 3 -o r.json -- "$HELPER" append r.log >/dev/null &&
	test $(wc -l <r.log) = 3 &&
	test_expect_code 2 steady run -n fast -- "$HELPER" sleep 0 2>err &&
	test_one_error_line err && grep "steady.s is --name" err
'

test_expect_success 'hyperfine'"'"'s -N is accepted (no shell is the default); --shell=none is explained' '
	steady run -N -n 2 -- "$HELPER" append n.log >/dev/null &&
	test $(wc -l <n.log) = 2 &&
	test_expect_code 2 steady run --shell=none -n 1 true 2>err &&
	test_one_error_line err && grep "takes no value: without it no shell runs" err
'

# help_options CMD: "--NAME VALUE" for every long option on an option line
# of steady CMD --help ("  -n, --runs N", "      --src-a DIR, --src-b DIR"),
# VALUE its placeholder or "-" for an option without one.
help_options() {
	steady "$1" --help | grep -E "^(  -|      --)" | sed "s/^ *//; s/  .*//" |
		tr "," "\n" | awk '/^ *--/ { print $1, ($2 == "" ? "-" : $2) }'
}

test_expect_success 'every option a command --help lists is one its parser accepts' '
	for c in $COMMANDS show; do
		help_options $c >opts && test -s opts &&
		while read -r name value; do
			case $name in --version|--help|-h) continue ;; esac
			if [ "$value" = - ]; then
				steady $c $name --help >out 2>err
			else
				steady $c $name 1 --help >out 2>err
			fi
			! grep -q "unknown option\|needs a value" err ||
			{ echo "steady $c: $name ($value)"; cat err; return 1; }
		done <opts || return 1
	done
'

test_expect_success 'the --help of the measuring commands lists every shared option, once' '
	for c in run compare stat layout; do
		for o in --runs --warmup --min-runs --max-runs --max-time --prepare --setup \
			 --cleanup --timeout --cpu --ignore-failure --shell --show-output \
			 --no-randomize --no-aslr --seed --color --version --help; do
			test "$(steady $c --help | grep -cE -- "^ +(-[a-zA-Z], )*$o( |\$)")" = 1 ||
			{ echo "steady $c --help: $o"; return 1; }
		done
	done
'

test_expect_success 'compare given programs where results files go: one line saying how to measure them' '
	test_expect_code 2 steady compare "$HELPER" "$HELPER" >out 2>err &&
	test_one_error_line err &&
	grep "is a program, not a results file: to measure it, put the commands after --" err &&
	steady run -n 2 -o a.json -- "$HELPER" sleep 0 >/dev/null &&
	test_expect_code 2 steady compare a.json a.json -- x >out 2>err &&
	test_one_error_line err && grep "error: .--. comes before the commands" err
'

test_done
