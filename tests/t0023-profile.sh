#!/usr/bin/env bash
# steady profile (docs: the interface of issue 15): where the time of one
# program goes, and of two side by side. The fixture program
# (tests/fixtures/profile-project) spends 3/4 of its time in hot_a and 1/4
# in hot_b; it is built as PIE, non-PIE, with the two in a shared library,
# stripped, with frame pointers, and as an alignment pair whose hot_a
# starts at different offsets of its cache line. Every test that samples
# is skipped, with one line saying why, where perf_event_open sampling is
# refused (perf_event_paranoid above 2, a container without it).
. "$(dirname "$0")/lib.sh"

PROJECT=$FIXTURES/profile-project
# The fixture's builds, made once by the first test (the source tree is
# never written to).
B=$TEST_DIR/build

# --- Where the output is read: the assumptions about details the spec
# --- leaves open, each in one place to adjust to the real output.

# json_flat FILE: every scalar of a JSON file as one line "PATH<TAB>VALUE",
# PATH written like jq's: .runs[0].side, .functions[2].name. Strings
# unquoted (an escape gives the escaped character). Reads any layout, so
# the tests do not depend on how the file is indented.
json_flat() {
	awk '
	function path(   p, i) {
		p = ""
		for (i = 1; i <= d; i++)
			p = p (t[i] == "o" ? "." k[i] : "[" n[i] "]")
		return p
	}
	{
		line = $0; len = length(line); i = 1
		while (i <= len) {
			c = substr(line, i, 1)
			if (c == " " || c == "\t" || c == "\r" || c == ":") { i++; continue }
			if (c == "{" || c == "[") {
				d++; t[d] = c == "{" ? "o" : "a"; n[d] = 0; k[d] = ""
				expect[d] = c == "{"; i++; continue
			}
			if (c == "}" || c == "]") { d--; i++; continue }
			if (c == ",") {
				if (t[d] == "a") n[d]++; else expect[d] = 1
				i++; continue
			}
			if (c == "\"") {
				s = ""; i++
				while (i <= len) {
					c = substr(line, i, 1)
					if (c == "\\") { s = s substr(line, i + 1, 1); i += 2; continue }
					if (c == "\"") break
					s = s c; i++
				}
				i++
				if (d > 0 && t[d] == "o" && expect[d]) { k[d] = s; expect[d] = 0 }
				else print path() "\t" s
				continue
			}
			j = i
			while (j <= len) {
				c = substr(line, j, 1)
				if (c == "," || c == "}" || c == "]" || c == " " || c == "\t" || c == "\r") break
				j++
			}
			print path() "\t" substr(line, i, j - i); i = j
		}
	}' "$1"
}

# json_get FILE PATH: the value at PATH (json_flat's spelling), one a line.
json_get() {
	json_flat "$1" | awk -F '\t' -v p="$2" '$1 == p { print $2 }'
}

# json_runs FILE KEY: KEY of every run, one line each, as "SIDE VALUE".
# The runs of a side are an array "runs" in its object "a" or "b", each
# with wall_ns, samples and lost as numbers (also read: one top-level
# array "runs" whose objects say their "side", "A" or "B").
json_runs() {
	json_flat "$1" | awk -F '\t' -v key="$2" '
	match($1, /^\.[ab]\.runs\[[0-9]+\]\./) {
		if (substr($1, RLENGTH + 1) == key)
			print toupper(substr($1, 2, 1)), $2
		next
	}
	match($1, /^\.runs\[[0-9]+\]\./) {
		r = substr($1, 1, RLENGTH - 1); rest = substr($1, RLENGTH + 1)
		if (rest == "side") side[r] = $2
		else if (rest == key) { val[r] = $2; order[++nr] = r }
	}
	END { for (i = 1; i <= nr; i++) print side[order[i]], val[order[i]] }'
}

# json_fn FILE NAME PATTERN: the values of function NAME's keys matching
# the awk regular expression PATTERN, in the file's order (A's before B's).
# "functions" is an array of objects naming the function in "function" (or
# "name"); shares are share_a and share_b (fractions: the tests only
# compare them, percentages would do as well), Cachegrind's Ir ir_a, ir_b.
# With A alone, share_b is null: json_fn prints what is there, null too.
json_fn() {
	json_flat "$1" | awk -F '\t' -v name="$2" -v pat="$3" '
	match($1, /^\.functions\[[0-9]+\]/) {
		f = substr($1, 1, RLENGTH); rest = substr($1, RLENGTH + 2)
		if ((rest == "name" || rest == "function") && $2 == name) want = f
		if (rest ~ pat) { nv[f]++; v[f, nv[f]] = $2 }
	}
	END { for (i = 1; i <= nv[want]; i++) print v[want, i] }'
}

# json_shares FILE NAME: the shares of function NAME, A first (then B).
json_shares() {
	json_fn "$1" "$2" share | grep -v "^null$"
}

# report_row FILE NAME: the function table's row of NAME (the name is the
# row's start, padded with blanks, as in the spec's illustration).
report_row() {
	awk -v name="$2" 'index($0, name " ") == 1 { print; exit }' "$1"
}

# row_share ROW: the first percentage of a table row (A's share).
row_share() {
	printf '%s\n' "$1" | grep -o '[0-9][0-9.]*%' | head -n1 | tr -d %
}

# row_changed ROW: the row is marked as changed.
# ASSUMPTION: the mark is a "*" ending the row, as in the spec's illustration.
row_changed() {
	printf '%s\n' "$1" | grep -q '\*[[:space:]]*$'
}

# table_rows FILE: the rows of the function table, its header excluded.
# ASSUMPTION: the table opens with a header line starting "function" and
# ends at the first blank line (or the end of the report).
table_rows() {
	awk '/^function[[:space:]]/ { on = 1; next } on && /^[[:space:]]*$/ { exit } on' "$1"
}

# wall_interval FILE: the wall time line's B/A ratio and interval, as
# "RATIO LOW HIGH": "wall time: A 30.1 ms, B 33.0 ms, B/A 1.096x [1.071, 1.120]".
wall_interval() {
	sed -n 's/^wall time: .*B\/A \([0-9.]*\)x *\[\([0-9.]*\), *\([0-9.]*\)\].*/\1 \2 \3/p' "$1"
}

# in_range X LOW HIGH: LOW <= X <= HIGH, as decimals.
in_range() {
	awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x + 0 >= lo && x + 0 <= hi) }' ||
		{ echo "$1 not in [$2, $3]"; return 1; }
}

# nm_addr PROG FUNC: FUNC's address as nm prints it, without leading zeros.
nm_addr() {
	nm "$1" | awk -v f="$2" '$3 == f { a = $1; sub(/^0+/, "", a); print a }'
}

# addr_in_range FILE LO HI [LO2 HI2]: prints "yes" when a hex number of 3
# digits or more (with or without 0x) on a line of FILE lies in [LO, HI)
# or [LO2, HI2).
addr_in_range() {
	local t v
	for t in $(grep -o -i "[0-9a-f]\{3,\}" "$1" | sort -u); do
		v=$((0x$t))
		if { [ "$v" -ge "$2" ] && [ "$v" -lt "$3" ]; } ||
			{ [ $# -ge 5 ] && [ "$v" -ge "$4" ] && [ "$v" -lt "$5" ]; }; then
			echo yes
			return
		fi
	done
}

# --- Is sampling allowed here? A tiny profile says.
skip_reason=
steady profile -n 2 "$HELPER burn 20" >"$TEST_DIR/probe.out" 2>"$TEST_DIR/probe.err"
probe_rc=$?
if [ $probe_rc = 2 ] &&
	grep -qi 'cannot sample\|not permitted\|perf_event\|paranoid' "$TEST_DIR/probe.err"; then
	skip_reason="perf_event_open sampling refused: $(head -n1 "$TEST_DIR/probe.err")"
fi

# profile_test TITLE BODY: a test that samples; skipped where sampling is refused.
profile_test() {
	if [ -n "$skip_reason" ]; then
		test_skip "$1" "$skip_reason"
	else
		test_expect_success "$1" "$2"
	fi
}

test_expect_success 'the fixture builds: every variant, hot_a at other offsets of its cache line in the alignment pair' '
	sh "$PROJECT/build.sh" "$B" &&
	for v in pie nopie shared stripped fp align-a align-b; do
		test -x "$B/$v/prog" || { echo "no $v/prog"; return 1; }
	done &&
	test -f "$B/shared/libhot.so" && nm -D "$B/shared/libhot.so" | grep -q " T hot_a$" &&
	! nm "$B/shared/prog" | grep -q " T hot_a$" &&
	! nm "$B/stripped/prog" 2>/dev/null | grep -q hot_a &&
	nm "$B/pie/prog" | grep -q " T hot_a$" &&
	a=$(nm_addr "$B/align-a/prog" hot_a) && b=$(nm_addr "$B/align-b/prog" hot_a) &&
	echo "hot_a: A 0x$a, B 0x$b" &&
	test $((0x$a % 64)) != $((0x$b % 64)) &&
	"$B/pie/prog" 10 && "$B/shared/prog" 10 && "$B/stripped/prog" 10 &&
	# nothing written next to the sources
	test -z "$(ls "$PROJECT" | grep -v "\.[ch]$" | grep -v "^build.sh$")"
'

profile_test 'one program, two hot functions: hot_a 3/4 and hot_b 1/4 of their samples, in the report and the JSON' '
	steady profile -n 5 -o p.json "$B/pie/prog" >out &&
	cat out &&
	# ASSUMPTION: one program, the samples line still opens "samples: "
	grep "^samples: .* in 5 runs" out &&
	row_a=$(report_row out hot_a) && row_b=$(report_row out hot_b) &&
	test -n "$row_a" && test -n "$row_b" &&
	# one program: no B columns, so one share per row
	test $(printf "%s\n" "$row_a" | grep -o "[0-9.]*%" | wc -l) = 1 &&
	sa=$(json_shares p.json hot_a | head -n1) && sb=$(json_shares p.json hot_b | head -n1) &&
	echo "JSON shares: hot_a $sa, hot_b $sb" &&
	in_range "$(awk -v a="$sa" -v b="$sb" "BEGIN { if (a + b > 0) print a / (a + b) }")" 0.65 0.85 &&
	# the text agrees
	ta=$(row_share "$row_a") && tb=$(row_share "$row_b") &&
	in_range "$(awk -v a="$ta" -v b="$tb" "BEGIN { if (a + b > 0) print a / (a + b) }")" 0.65 0.85 &&
	# together they are nearly all of the time
	in_range "$(awk -v a="$ta" -v b="$tb" "BEGIN { print a + b }")" 80 100.1
'

profile_test 'two hot functions, A and B: both listed with shares on both sides near 3/4 and 1/4' '
	steady profile -n 4 -o p.json "$B/pie/prog" "$B/nopie/prog" >out &&
	cat out &&
	grep "^A: .*pie/prog" out && grep "^B: .*nopie/prog" out &&
	test_count_is 2 json_shares p.json hot_a &&
	test_count_is 2 json_shares p.json hot_b &&
	json_shares p.json hot_a >a && json_shares p.json hot_b >b &&
	paste a b | while read -r sa sb; do
		in_range "$(awk -v a="$sa" -v b="$sb" "BEGIN { if (a + b > 0) print a / (a + b) }")" 0.65 0.85 ||
			return 1
	done
'

# The marks are tested at a 95% family level: an A/A profile marks some
# function in up to 5% of its runs by design (1 in 20 here, measured), so
# one profile that marks one is chance; two in a row (0.25%) is a fault.
profile_test 'A against A: no function marked changed (twice running), the ratios near 1' '
	marked=0 &&
	for try in 1 2; do
		steady profile -n 10 -o aa.json "$B/pie/prog" "$B/pie/prog" >out.$try &&
		table_rows out.$try >rows && test -s rows || return 1
		if grep "\*[[:space:]]*$" rows; then marked=$((marked + 1)); else break; fi
	done &&
	if [ $marked = 2 ]; then echo "marked changed in A against A, twice running"; return 1; fi &&
	cp out.1 out && cat out &&
	set -- $(wall_interval out) && test $# = 3 &&
	{ in_range 1 "$2" "$3" || { in_range "$2" 0.85 1.15 && in_range "$3" 0.85 1.15; }; } &&
	for f in hot_a hot_b; do
		row=$(report_row out $f) && test -n "$row" &&
		ratio=$(printf "%s\n" "$row" | grep -o "[0-9.]*x" | head -n1 | tr -d x) &&
		in_range "$ratio" 0.85 1.15 || return 1
	done
'

profile_test 'symbols: PIE and non-PIE programs name hot_a and hot_b' '
	for v in pie nopie; do
		steady profile -n 2 "$B/$v/prog" >out.$v &&
		test -n "$(report_row out.$v hot_a)" && test -n "$(report_row out.$v hot_b)" ||
			{ cat out.$v; return 1; }
	done
'

profile_test 'symbols: functions of a shared library named "hot_a (libhot.so)"' '
	steady profile -n 2 "$B/shared/prog" >out &&
	cat out &&
	row=$(report_row out "hot_a (libhot.so)") && test -n "$row" &&
	test -n "$(report_row out "hot_b (libhot.so)")" &&
	in_range "$(row_share "$row")" 55 90
'

profile_test 'symbols: a stripped program: a note saying so, its samples under "[stripped]"' '
	steady profile -n 2 "$B/stripped/prog" >out &&
	cat out &&
	# ASSUMPTION: the row is "[stripped] (prog)" as the spec writes it, or
	# "[stripped]" alone as src/profile/attribute.c labels the program itself
	# (its own functions unsuffixed too): report_row finds either.
	row=$(report_row out "[stripped]") && test -n "$row" &&
	in_range "$(row_share "$row")" 80 100 &&
	# ASSUMPTION: the note is a line of its own outside the table naming
	# the file (its path or name) and the word "stripped".
	grep -v "^\[stripped\]" out | grep -i "stripped" | grep "prog" &&
	test -z "$(report_row out hot_a)"
'

profile_test '--folded PREFIX: three files of stacks, main;middle;hot_a among them with frame pointers' '
	steady profile -n 3 --folded "$PWD/fg" -o f.json "$B/fp/prog" "$B/fp/prog" >out &&
	cat out &&
	test -s fg.a.folded && test -s fg.b.folded && test -s fg.diff.folded &&
	# "f1;f2;f3 COUNT" and "f1;f2;f3 COUNT_A COUNT_B"; frames may hold blanks
	# ("memcpy (libc.so.6)"), the counts are the last fields
	! grep -v "^[^ ].* [0-9][0-9]*$" fg.a.folded &&
	! grep -v "^[^ ].* [0-9][0-9]*$" fg.b.folded &&
	! grep -v "^[^ ].* [0-9][0-9]* [0-9][0-9]*$" fg.diff.folded &&
	for f in fg.a.folded fg.b.folded fg.diff.folded; do
		grep -q "main;middle;hot_a [0-9]" $f && grep -q "main;middle;hot_b [0-9]" $f ||
			{ echo "no main;middle;hot_a/b in $f"; cat $f; return 1; }
	done &&
	# most of the samples are in those two stacks
	awk "/main;middle;hot_[ab] / { hot += \$NF } { all += \$NF } END { exit !(hot >= 0.8 * all) }" fg.a.folded &&
	# the diff file has both counts of a stack: the sum over A equals a.folded
	test "$(awk "{ s += \$(NF - 1) } END { print s }" fg.diff.folded)" = \
		"$(awk "{ s += \$NF } END { print s }" fg.a.folded)" &&
	test "$(awk "{ s += \$NF } END { print s }" fg.diff.folded)" = \
		"$(awk "{ s += \$NF } END { print s }" fg.b.folded)" &&
	# -g (implied): the report adds the hottest call paths, by the larger
	# of the two sides shares: main;middle;hot_a, 3/4 of the samples of
	# each, heads the list, with A alone too.
	sed -n "/^Hottest call paths/,\$p" out | sed -n 2p | grep "main;middle;hot_a$" &&
	steady profile -n 2 -g "$B/fp/prog" >one && cat one &&
	sed -n "/^Hottest call paths/,\$p" one | sed -n 2p | grep "main;middle;hot_a$"
'

profile_test '-g without frame pointers: the report says how to get them' '
	steady profile -n 2 -g "$B/pie/prog" >out 2>err &&
	cat out err &&
	grep -h -- "-fno-omit-frame-pointer" out err
'

profile_test 'lost samples: counted per run in the JSON, printed in the report' '
	steady profile -n 3 -o l.json "$B/pie/prog" "$B/nopie/prog" >out &&
	cat out &&
	# "lost A 0, B 0" (the spec illustrates "lost 0")
	grep "^samples: .*lost \(A \)\?[0-9]" out &&
	test_count_is 6 json_runs l.json lost &&
	json_runs l.json lost | while read -r side lost; do
		case "$side" in A|B) ;; *) echo "run side \"$side\""; return 1 ;; esac &&
		case "$lost" in ""|*[!0-9]*) echo "lost \"$lost\""; return 1 ;; esac
	done
'

profile_test 'JSON: format steady-profile version 1, runs of A and B with wall_ns and samples' '
	steady profile -n 3 -o j.json "$B/pie/prog" "$B/pie/prog" >out &&
	test "$(json_get j.json .format)" = steady-profile &&
	test "$(json_get j.json .version)" = 1 &&
	test_count_is 6 json_runs j.json wall_ns &&
	test $(json_runs j.json wall_ns | grep -c "^A ") = 3 &&
	test $(json_runs j.json wall_ns | grep -c "^B ") = 3 &&
	json_runs j.json wall_ns | while read -r side ns; do
		# at least 50 ms of a program of about 130
		case "$ns" in ""|*[!0-9]*) echo "wall_ns \"$ns\""; return 1 ;; esac &&
		test "$ns" -ge 50000000 || return 1
	done &&
	test_count_is 6 json_runs j.json samples &&
	json_runs j.json samples | while read -r side n; do
		# 4000 Hz for over 50 ms: far more than 20 samples a run
		case "$n" in ""|*[!0-9]*) echo "samples \"$n\""; return 1 ;; esac &&
		test "$n" -ge 20 || return 1
	done &&
	# the event and the rate asked for are recorded
	# (freq_hz: the spec says "freq")
	test -n "$(json_get j.json .event)" &&
	test "$(json_get j.json .freq_hz)$(json_get j.json .freq)" = 4000 &&
	# the total in the report is the sum of the runs
	a=$(json_runs j.json samples | awk "\$1 == \"A\" { s += \$2 } END { print s }") &&
	# "samples: A 1 204 in 3 runs": thousands apart by a blank (or a comma)
	ra=$(sed -n "s/^samples: A \([0-9][0-9 ,]*\) in 3 runs.*/\1/p" out | tr -d " ,") &&
	echo "samples of A: JSON $a, report $ra" && test "$ra" = "$a"
'

profile_test '--annotate hot_a on the alignment pair: its address and offset in the line on each side, the hottest instructions disassembled' '
	a=$(nm_addr "$B/align-a/prog" hot_a) && b=$(nm_addr "$B/align-b/prog" hot_a) &&
	oa=$((0x$a % 64)) && ob=$((0x$b % 64)) && test $oa != $ob &&
	steady profile -n 3 --annotate hot_a -o an.json "$B/align-a/prog" "$B/align-b/prog" >out &&
	cat out &&
	# the JSON: the annotate of each side with the file address of hot_a (decimal)
	# and its offset in the line (the keys as src/cmd/profile.c names them)
	test "$(json_get an.json .a.annotate.start)" = $((0x$a)) &&
	test "$(json_get an.json .b.annotate.start)" = $((0x$b)) &&
	test "$(json_get an.json .a.annotate.offset)" = $oa &&
	test "$(json_get an.json .b.annotate.offset)" = $ob &&
	# ASSUMPTION: the file addresses nm prints, in hex (any 0x and leading
	# zeros), each on a line with the offset in decimal or in hex.
	la=$(grep -i "\(0x\|[^0-9a-f]\)0*$a\([^0-9a-f]\|$\)" out | head -n1) && test -n "$la" &&
	lb=$(grep -i "\(0x\|[^0-9a-f]\)0*$b\([^0-9a-f]\|$\)" out | head -n1) && test -n "$lb" &&
	echo "A: $la" && echo "B: $lb" &&
	printf "%s\n" "$lb" | grep -i "[^0-9a-f]$ob\([^0-9]\|$\)\|0x$(printf %x $ob)\b" &&
	printf "%s\n" "$la" | grep "[^0-9a-f]$oa\([^0-9]\|$\)" &&
	# the hottest instruction is in the loop: objdump text of its
	# multiply is shown, on a line with an address inside hot_a
	grep -i "imul" out >imul &&
	sa=$(nm -S "$B/align-a/prog" | awk "\$4 == \"hot_a\" { print \$2 }") &&
	sb=$(nm -S "$B/align-b/prog" | awk "\$4 == \"hot_a\" { print \$2 }") &&
	test_count_is 1 addr_in_range imul $((0x$a)) $((0x$a + 0x$sa)) $((0x$b)) $((0x$b + 0x$sb)) &&
	# one source, other alignment: the same instructions, only moved (the
	# padding before them differs and is no instruction of the code)
	grep "^hot_a: A at offset $oa, B at offset $ob of a 64-byte line" out &&
	grep "^the same instructions in both" out
'

profile_test '--annotate a function whose neighbour changed more: the same instructions, and a caveat naming that one' '
	steady profile -n 3 --annotate hot_b "$B/pie/prog 7" "$B/pie/prog 21" >out &&
	cat out &&
	grep "^hot_b: A at offset \([0-9]*\), B at offset \1 of a 64-byte line (+0 bytes);" out &&
	grep "^the same instructions in both; but hot_a.s time changed more$" out &&
	grep "^(+[0-9.]* [mµ]*s a run, [0-9.]*x): time moves between functions" out &&
	grep "so a change in hot_b.s time$" out
'

if ! command -v valgrind >/dev/null 2>&1; then
	test_skip '--with-cache: Cachegrind'"'"'s Ir per function' "valgrind missing"
else
	profile_test '--with-cache: Cachegrind'"'"'s Ir per function beside the ratios' '
		steady profile -n 2 --with-cache -o c.json "$B/pie/prog 1" "$B/nopie/prog 1" >out &&
		cat out &&
		grep "^function .*Ir" out &&
		row=$(report_row out hot_a) && test -n "$row" &&
		# ASSUMPTION: the Ir column shows B/A as "same (+0.00%)" or a ratio
		printf "%s\n" "$row" | grep "same\|[0-9]x\|[0-9]%[^%]*$" &&
		# an instruction count is exact: one round, 3 x 2500000 steps of
		# 7 instructions in hot_a, 1 x 2500000 in hot_b, on both sides
		test_count_is 2 json_fn c.json hot_a "^ir" &&
		json_fn c.json hot_a "^ir" >ira && json_fn c.json hot_b "^ir" >irb &&
		paste ira irb && paste ira irb | while read -r a b; do
			in_range "$a" 52000000 53500000 && in_range "$b" 17400000 17700000 || return 1
		done
	'
fi

profile_test '--seed: the seed recorded in the JSON is the one given, all 64 bits' '
	# A seed is a 64-bit unsigned number (run_random_seed() draws all 64
	# bits); results files write it as a decimal string for that reason.
	# Read back from the JSON it must be what --seed takes.
	steady profile -n 2 --seed 18446744073709551615 -o s.json "$HELPER burn 5" >/dev/null &&
	seed=$(json_get s.json .seed) && echo "seed in the JSON: $seed" &&
	test "$seed" = 18446744073709551615 &&
	steady profile -n 2 --seed "$seed" "$HELPER burn 5" >/dev/null
'

profile_test 'a program that fails: exit 1' '
	test_expect_code 1 steady profile -n 2 "$HELPER exit 3" 2>err &&
	cat err && grep "^steady: error: " err
'

# Bad input is found before anything is sampled, so these run everywhere:
# an error line alone on stderr, nothing on stdout, exit 2.
bad_input() {
	test_expect_code 2 steady profile "$@" >bad.out 2>bad.err &&
	test_one_error_line bad.err &&
	{ test ! -s bad.out || { echo "stdout:"; cat bad.out; return 1; }; }
}

test_expect_success 'bad input: one error line, exit 2, nothing else' '
	bad_input &&
	bad_input true true true &&
	bad_input -n 0 true &&
	bad_input -n 1 true &&
	bad_input -F 0 true &&
	bad_input -F abc true &&
	bad_input --annotate &&
	bad_input --top 0 true &&
	bad_input -e no-such-event true && grep "no-such-event" bad.err &&
	bad_input "$TEST_DIR/no/such/prog" && grep "no/such/prog" bad.err &&
	bad_input --no-such-option true
'

test_done
