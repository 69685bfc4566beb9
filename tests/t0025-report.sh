#!/usr/bin/env bash
# steady report: one self-contained HTML page from the files other commands
# saved. The inputs are made here by real runs of steady-helper (run,
# compare -o, stat -o, trace -o; profile -o where sampling is allowed,
# cache -o where valgrind is installed), the hyperfine and pyperf
# fixtures, and the layout, sweep and bisect files of fixtures/report/
# (made once by real runs: fixtures/README.md says how). The last test
# renders the page in headless Chromium: a screenshot that is not blank,
# one mark per run in the rendered DOM, every SVG well-formed, no NaN or
# infinite coordinate, and no console error (the console check first
# proven able to see one). The screenshot and the page are kept in $OUT
# (printed), so a person can look at them.
. "$(dirname "$0")/lib.sh"

: "${FIXTURES:=$(cd "$(dirname "$0")/fixtures" && pwd)}"
OUT=${TEST_OUTPUT:-$(cd "$(dirname "$STEADY")" && pwd)/test-output}/t0025-report
mkdir -p "$OUT"
IN=$TEST_DIR/inputs
mkdir -p "$IN"

# Inputs made once, for every test below: A and B with warm-ups and a
# known number of runs each.
steady run -n 12 --warmup 2 -o "$IN/a.json" -- "$HELPER" work 100000 >/dev/null 2>&1
steady run -n 12 --warmup 2 -o "$IN/b.json" -- "$HELPER" work 130000 >/dev/null 2>&1
steady compare -n 10 -o "$IN/cmp.json" -- "$HELPER work 100000" "$HELPER work 110000" >/dev/null 2>&1
steady stat -n 8 -e task-clock,page-faults -o "$IN/stat.json" --vs "$HELPER work 100000" \
	-- "$HELPER" work 120000 >/dev/null 2>&1
steady trace -o "$IN/trace.json" "$HELPER calls 10" "$HELPER calls 300" >/dev/null 2>&1
have_profile=
steady profile -n 3 -g -o "$IN/profile.json" "$HELPER burn 30" "$HELPER burn 40" \
	>/dev/null 2>"$TEST_DIR/profile.err" && have_profile=1
have_cache=
if command -v valgrind >/dev/null 2>&1; then
	steady cache -o "$IN/cache.json" "$HELPER work 100000" "$HELPER work 200000" \
		>/dev/null 2>&1 && have_cache=1
fi

# py EXPR FILE...: a python3 one-off over the given files (argv[1:]).
py() {
	python3 -c "$@"
}

# runs_in FILE...: every run the files draw as a point (steady: runs.count
# of each benchmark, warm-ups included, but none of a layout or sweep
# file, drawn as intervals; hyperfine: its times; pyperf: the values of
# every run, not its warm-ups).
runs_in() {
	py '
import json, sys
n = 0
for p in sys.argv[1:]:
    d = json.load(open(p))
    if d.get("format") == "steady-results":
        if "layout" not in d and "sweep" not in d:
            n += sum(b["runs"]["count"] for b in d["benchmarks"])
    elif "results" in d:
        n += sum(len(r["times"]) for r in d["results"])
    elif "benchmarks" in d and "metadata" in d:
        n += sum(len(r.get("values", [])) for b in d["benchmarks"] for r in b["runs"])
print(n)' "$@"
}

# count_class FILE CLASS...: elements whose class list holds every CLASS.
count_class() {
	local f=$1
	shift
	grep -o "class=\"[^\"]*\"" "$f" | tr -d '"' | sed 's/^class=//' |
		awk -v want="$*" 'BEGIN { k = split(want, c, " ") }
			{ m = 0; for (j = 1; j <= k; j++) for (i = 1; i <= NF; i++) if ($i == c[j]) { m++; break } }
			m == k { n++ } END { print n + 0 }'
}

# jq_py FILE EXPR: EXPR (python, over the JSON as d) of FILE, printed.
jq_py() {
	py "import json, sys; d = json.load(open(sys.argv[1])); print($2)" "$1"
}

test_expect_success 'A and B from two runs: every run a point, both distributions, the ratio that compare gives' '
	steady report -o r.html "$IN/a.json" "$IN/b.json" >out &&
	grep -q "^written: r.html$" out &&
	test "$(count_class r.html run-point)" = 28 &&
	test "$(count_class r.html warmup)" = 4 &&
	test "$(count_class r.html hist-bar)" -ge 2 &&
	test "$(count_class r.html margin-band)" = 1 &&
	grep -q "class=\"verdict\">\(SLOWER\|FASTER\|SAME\|UNRESOLVED\): B/A " r.html &&
	# no script, no link to anything outside the file
	test "$(grep -ci "<script" r.html)" = 0 &&
	test "$(grep -o "\(src\|href\)=\"[^\"]*\"" r.html | wc -l)" = 0 &&
	test "$(grep -o "http[s]*://[^\"]*" r.html | sort -u)" = "http://www.w3.org/2000/svg"
'

test_expect_success 'the verdict line matches steady compare of the same two files' '
	steady report -o r.html "$IN/a.json" "$IN/b.json" >/dev/null &&
	{ steady compare --export-csv c.csv "$IN/a.json" "$IN/b.json" >/dev/null || test $? = 1; } &&
	# c.csv: the ratio and its interval as compare computed them
	py "
import csv, re, sys
row = next(csv.DictReader(open(\"c.csv\")))
html = open(\"r.html\").read()
m = re.search(r\"class=.verdict.>(\\w+): B/A ([0-9.]+) \\[([0-9.]+), ([0-9.]+)\\]\", html)
assert m, \"no verdict line\"
got = [float(m.group(i)) for i in (2, 3, 4)]
want = [float(row[k]) for k in (\"ratio\", \"ci_lo\", \"ci_hi\")]
assert m.group(1) == row[\"verdict\"], (m.group(1), row[\"verdict\"])
assert all(abs(g - w) < 6e-5 * max(1, w) for g, w in zip(got, want)), (got, want, row)
print(m.group(1), got)
"
'

test_expect_success 'one file with A and B (compare -o, stat -o): compared within, counts with intervals' '
	steady report -o r.html "$IN/cmp.json" "$IN/stat.json" >/dev/null &&
	test "$(count_class r.html run-point)" = "$(runs_in "$IN/cmp.json" "$IN/stat.json")" &&
	grep -q "cmp.json: .* against " r.html &&
	grep -q "stat.json: .* against " r.html &&
	grep -q "counts of B over A" r.html && grep -q ">task-clock<" r.html &&
	# measured in the same rounds: paired, as steady compare FILE does
	test "$(grep -c "paired by round" r.html)" = 2 && ! grep -q "independent samples" r.html
'

test_expect_success 'hyperfine and pyperf files: their times drawn, two commands of one file compared' '
	steady report -o r.html "$FIXTURES/hyperfine/two_commands.json" "$FIXTURES/pyperf/telco.json" >/dev/null &&
	test "$(count_class r.html run-point)" -ge "$(runs_in "$FIXTURES/hyperfine/two_commands.json")" &&
	grep -q "two_commands.json: .* against " r.html &&
	grep -q "telco.json (results" r.html &&
	grep -q "independent samples" r.html
'

test_expect_success 'a command name with <script> and & stays text' '
	py "
import json
d = json.load(open(\"$FIXTURES/hyperfine/two_commands.json\"))
d[\"results\"][0][\"command\"] = \"<script>alert(1)</script> & rm\"
json.dump(d, open(\"evil.json\", \"w\"))" &&
	steady report -o r.html evil.json >/dev/null &&
	test "$(grep -ci "<script" r.html)" = 0 &&
	grep -q "&lt;script&gt;alert(1)&lt;/script&gt; &amp; rm" r.html
'

test_expect_success 'trace -o: syscall and library-call deltas as bars' '
	steady report -o r.html "$IN/trace.json" >/dev/null &&
	grep -q "system calls: calls of B minus A" r.html &&
	test "$(count_class r.html bar)" -ge 2 && grep -q ">getppid<" r.html
'

# --- layout, sweep and bisect files: fixtures/report/, made once ---

test_expect_success 'layout file: the two ratios, one interval per variant per side, the verdicts as written' '
	L=$FIXTURES/report/layout.json &&
	steady report -o r.html "$L" >/dev/null &&
	a=$(jq_py "$L" "sum(v[\"side\"] == \"A\" for v in d[\"layout\"][\"variants\"])") &&
	b=$(jq_py "$L" "sum(v[\"side\"] == \"B\" for v in d[\"layout\"][\"variants\"])") &&
	test "$a" = 4 && test "$b" = 4 &&
	test "$(count_class r.html interval side-a)" = "$a" &&
	test "$(count_class r.html interval side-b)" = "$b" &&
	# every variant by its name, one interval each
	jq_py "$L" "\"\\n\".join(b[\"name\"] for b in d[\"benchmarks\"])" >names &&
	while read -r name; do
		test "$(grep -cF "<title>$name: " r.html)" = 1 || { echo "no interval of $name"; return 1; }
	done <names &&
	grep -q "<title>default builds: " r.html &&
	grep -q "<title>averaged over variants: " r.html &&
	v=$(jq_py "$L" "d[\"layout\"][\"verdict\"]") &&
	dv=$(jq_py "$L" "d[\"layout\"][\"default_verdict\"]") &&
	grep -F "class=\"verdict\">$v (perturbation: link-order; the default builds: $dv)" r.html &&
	# and its default builds compared as A and B
	grep -q "layout.json: B default against A default" r.html
'

test_expect_success 'sweep file: one interval per configuration, ranked, the verdicts coloured' '
	S=$FIXTURES/report/sweep.json &&
	steady report -o r.html "$S" >/dev/null &&
	n=$(jq_py "$S" "len(d[\"sweep\"][\"configurations\"])") && test "$n" = 3 &&
	test "$(count_class r.html interval)" = "$n" &&
	test "$(count_class r.html interval faster)" = \
		"$(jq_py "$S" "sum((c.get(\"comparison\") or {}).get(\"verdict\") == \"FASTER\" for c in d[\"sweep\"][\"configurations\"])")" &&
	test "$(count_class r.html interval slower)" = 0 &&
	grep -q "a ranking sweep of 3 configurations; judged on valgrind-ir" r.html &&
	# the table: one row per configuration, in rank order
	grep -o "<tr><td class=\"num\">[0-9]*</td><td>[^<]*</td>" r.html |
		sed "s/.*num.>\\([0-9]*\\)<.*<td>\\(.*\\)<.td>/\\1 \\2/" >rows &&
	jq_py "$S" "\"\\n\".join(\"%d %s\" % (c[\"rank\"], c[\"label\"]) for c in sorted(d[\"sweep\"][\"configurations\"], key=lambda c: c[\"rank\"]))" >want &&
	test_cmp_files want rows &&
	head -n1 rows | grep -q "^1 cflags=-O2$"
'

test_expect_success 'bisect --log file: the whole change and one interval per step, SLOW red, NOT SLOW uncoloured, the culprit' '
	B=$FIXTURES/report/bisect.json &&
	steady report -o r.html "$B" >/dev/null &&
	steps=$(jq_py "$B" "len(d[\"steps\"])") && test "$steps" = 4 &&
	slow=$(jq_py "$B" "sum(s[\"answer\"] == \"SLOW\" for s in d[\"steps\"])") &&
	test "$(count_class r.html interval)" = $((steps + 1)) &&
	# the whole change was SLOWER: red, as the SLOW steps; a step that is
	# not slow is no speed-up: never green
	test "$(jq_py "$B" "d[\"full\"][\"verdict\"]")" = SLOWER &&
	test "$(count_class r.html interval slower)" = $((slow + 1)) &&
	test "$(count_class r.html interval faster)" = 0 &&
	grep -q "<g class=\"interval slower\"><title>whole change: " r.html &&
	for k in $(jq_py "$B" "\" \".join(\"%d:%s\" % (s[\"step\"], s[\"key\"].replace(\" \", \"\")) for s in d[\"steps\"])"); do
		test "$(grep -c "<title>step ${k%%:*}: " r.html)" = 1 || return 1
	done &&
	test "$(grep -c "<tr><td class=\"num\">[0-9]*</td><td>" r.html)" = "$steps" &&
	grep -q "class=\"verdict\">outcome: found after $steps questions" r.html &&
	culprit=$(jq_py "$B" "d[\"units\"][d[\"result\"][\"culprit\"][0]][\"label\"]") &&
	test "$culprit" = "loops.c @@ -35,6 +35,8 @@" &&
	grep -A3 "<ul class=\"culprit\">" r.html | grep -qF "<li>$culprit</li>" &&
	# the whole change coloured from its verdict: none for UNRESOLVED and SAME
	for v in UNRESOLVED SAME FASTER; do
		py "
import json, sys
d = json.load(open(sys.argv[1]))
d[\"full\"][\"verdict\"] = sys.argv[2]
json.dump(d, open(\"b.json\", \"w\"))" "$B" $v &&
		steady report -o v.html b.json >/dev/null &&
		case $v in
		FASTER) want="interval faster" ;;
		*) want="interval" ;;
		esac &&
		grep -q "<g class=\"$want\"><title>whole change: " v.html &&
		test "$(count_class v.html interval slower)" = "$slow" || { echo "whole change $v"; return 1; }
	done
'

if [ -n "$have_cache" ]; then
	test_expect_success 'cache -o: totals and the functions whose Ir changed' '
		steady report -o r.html "$IN/cache.json" >/dev/null &&
		grep -q "functions whose instructions changed most" r.html &&
		test "$(count_class r.html bar)" -ge 2
	'
else
	test_skip 'cache -o: totals and the functions whose Ir changed' "valgrind missing or cache failed"
fi

if [ -n "$have_profile" ]; then
	test_expect_success 'profile -o -g: flame graphs of A, B and their difference' '
		steady report -o r.html "$IN/profile.json" >/dev/null &&
		test "$(grep -c "<svg class=\"chart flame\"" r.html)" = 3 &&
		test "$(count_class r.html flame-rect)" -ge 3
	'
else
	test_skip 'profile -o -g: flame graphs of A, B and their difference' \
		"sampling refused: $(head -n1 "$TEST_DIR/profile.err")"
fi

test_expect_success 'a file steady cannot read: one error line, exit 2, no page' '
	echo "{\"format\": \"steady-system-state\", \"version\": 1}" >state.json &&
	test_expect_code 2 steady report -o r.html "$IN/a.json" state.json 2>err &&
	test_one_error_line err && test ! -e r.html &&
	echo "{\"what\": 1}" >other.json &&
	test_expect_code 2 steady report -o r.html other.json 2>err &&
	test_one_error_line err && test ! -e r.html &&
	test_expect_code 2 steady report -o r.html no-such.json 2>err &&
	test_one_error_line err && test ! -e r.html &&
	echo "{\"format\": \"steady-profile\", \"version\": 9}" >new.json &&
	test_expect_code 2 steady report -o r.html new.json 2>err &&
	test_one_error_line err && test ! -e r.html &&
	ls -A >files && test "$(grep -c tmp files)" = 0
'

test_expect_success 'usage: no file, no -o, an unknown option: exit 2, one line' '
	test_expect_code 2 steady report -o r.html 2>err && test_one_error_line err &&
	test_expect_code 2 steady report "$IN/a.json" 2>err && test_one_error_line err &&
	test_expect_code 2 steady report --frob -o r.html "$IN/a.json" 2>err && test_one_error_line err &&
	test_expect_code 2 steady report --margin x -o r.html "$IN/a.json" 2>err && test_one_error_line err &&
	test ! -e r.html
'

if command -v valgrind >/dev/null 2>&1; then
test_expect_success '--history NAME: a chart and a table per machine, one interval per revision, the step marked' '
	# six revisions of exact instruction counts, 20% more work from r4 on
	for i in 1 2 3 4 5 6; do
		w=100000 && test $i -le 3 || w=120000
		steady run --save --db "$PWD/h.db" --rev r$i -n 3 --metric valgrind-ir \
			--name hw -- "$HELPER" work $w >/dev/null 2>&1 || return 1
	done &&
	steady report --history hw --db "$PWD/h.db" -o h.html >out &&
	test "$(count_class h.html interval)" = 6 &&
	test "$(count_class h.html slower)" = 1 &&
	grep "hw over revisions" h.html &&
	grep "<td>SLOWER 1\.[0-9]* \[" h.html &&
	# the step is where steady history trend finds it
	steady history trend hw --db "$PWD/h.db" >trend &&
	grep "step at r4:.*SLOWER" trend &&
	# an unknown name, --db without --history: exit 2, one line, no page
	test_expect_code 2 steady report --history nope --db "$PWD/h.db" -o n.html 2>err &&
	test_one_error_line err && test ! -e n.html &&
	test_expect_code 2 steady report --db "$PWD/h.db" -o n.html "$IN/a.json" 2>err &&
	test_one_error_line err && test ! -e n.html
'
else
	test_skip '--history NAME' "valgrind missing (the series is of exact instruction counts)"
fi

# --- The page in a browser ---

# The whole report: every input made above and the fixtures.
inputs="$IN/a.json $IN/b.json $IN/cmp.json $IN/stat.json $IN/trace.json"
[ -n "$have_profile" ] && inputs="$inputs $IN/profile.json"
[ -n "$have_cache" ] && inputs="$inputs $IN/cache.json"
inputs="$inputs $FIXTURES/hyperfine/two_commands.json"
inputs="$inputs $FIXTURES/report/layout.json $FIXTURES/report/sweep.json $FIXTURES/report/bisect.json"
inputs="$inputs $(ls "$FIXTURES"/pyperf/*.json | tr '\n' ' ')"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
browser_reason=
if [ -z "$CHROMIUM" ]; then
	browser_reason="chromium is not installed (scripts/install-deps.sh installs it)"
elif ! timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --dump-dom \
		"data:text/html,<p>up</p>" >"$TEST_DIR/probe.dom" 2>"$TEST_DIR/probe.err" ||
	! grep -q "<p>up</p>" "$TEST_DIR/probe.dom"; then
	browser_reason="chromium cannot start here: $(grep -v "^$" "$TEST_DIR/probe.err" | tail -n1)"
fi

# How console errors are collected, proven first on a page that makes one
# (a check that never sees a message would pass whatever the page does).
# First: chromium's own log on stderr, where a console message is an
# INFO:CONSOLE line, with exactly the flags of the real check (--v=0,
# then --v=1). Where neither shows the probe's message: a copy of the page
# with a script first in its head that writes every console.error and
# console.warn call and every error event into a <pre id="steady-console">
# of the DOM, read back with --dump-dom. That copy is the test's only:
# steady's pages have no script. It sees what scripts report, not the
# browser's own messages (an SVG attribute it cannot parse): the check
# below that no attribute holds nan or inf covers the most likely of those.
# T0025_CONSOLE=dom forces that way, to see that it works.
console_flags() { # V: the flags of the console check with --v=V
	echo "--headless --no-sandbox --disable-gpu --enable-logging=stderr --v=$1 --virtual-time-budget=3000 --dump-dom"
}

# with_console_hook IN OUT: OUT is IN with the hook first in its head.
with_console_hook() {
	py '
import sys
page = open(sys.argv[1], encoding="utf-8").read()
hook = """<script>(function () {
var seen = [];
function keep(kind, args) { seen.push(kind + ": " + Array.prototype.join.call(args, " ")); }
var err = console.error, warn = console.warn;
console.error = function () { keep("error", arguments); err.apply(console, arguments); };
console.warn = function () { keep("warn", arguments); warn.apply(console, arguments); };
window.addEventListener("error", function (e) {
  keep("error event", [e.message || ("cannot load " + (e.target && (e.target.src || e.target.href)))]);
}, true);
window.addEventListener("load", function () {
  var pre = document.createElement("pre");
  pre.id = "steady-console";
  pre.textContent = seen.join("\\n");
  document.body.appendChild(pre);
});
})();</script>"""
i = page.find("<head>")
i = i + len("<head>") if i >= 0 else 0
open(sys.argv[2], "w", encoding="utf-8").write(page[:i] + hook + page[i:])' "$1" "$2"
}

# console_of DOM: what the hook wrote into the page (nothing: no message).
console_of() {
	py '
import re, sys
m = re.search(r"<pre id=\"steady-console\">(.*?)</pre>", open(sys.argv[1], encoding="utf-8").read(), re.S)
if not m:
    sys.exit("no <pre id=steady-console>: the hook did not run")
print(m.group(1), end="")' "$1"
}

console_way=
if [ -z "$browser_reason" ]; then
	printf '<!DOCTYPE html>\n<html><head><title>probe</title></head><body><p>probe</p><script>console.error("steady-probe")</script></body></html>\n' \
		>"$TEST_DIR/probe.html"
	if [ "${T0025_CONSOLE:-}" != dom ]; then
		for v in 0 1; do
			timeout 60 "$CHROMIUM" $(console_flags $v) "file://$TEST_DIR/probe.html" \
				>/dev/null 2>"$TEST_DIR/probe-console.err"
			if grep -q "steady-probe" "$TEST_DIR/probe-console.err"; then
				console_way=$v
				break
			fi
			echo "# the console check cannot work here with --enable-logging=stderr --v=$v: chromium's stderr does not show the probe's console.error"
		done
	fi
	if [ -z "$console_way" ]; then
		with_console_hook "$TEST_DIR/probe.html" "$TEST_DIR/probe-hooked.html" &&
		timeout 60 "$CHROMIUM" $(console_flags 0) "file://$TEST_DIR/probe-hooked.html" \
			>"$TEST_DIR/probe-hooked.dom" 2>/dev/null &&
		console_of "$TEST_DIR/probe-hooked.dom" | grep -q "steady-probe" && console_way=dom
		echo "# console errors are collected instead by a script in a copy of the page, into its DOM${console_way:+ (it sees the probe)}"
	fi
fi

if [ -n "$browser_reason" ]; then
	test_skip 'the page in headless Chromium: not blank, one mark per run, no console error' \
		"$browser_reason"
elif [ -z "$console_way" ]; then
	test_expect_success 'the page in headless Chromium: console errors cannot be collected here' '
		echo "neither chromium'"'"'s stderr (--v=0, --v=1) nor a script in the page saw the probe'"'"'s console.error"
		false
	'
else
	test_expect_success 'the page in headless Chromium: not blank, one mark per run, no console error' '
		steady report -o "$OUT/report.html" $inputs >/dev/null &&
		timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
			--window-size=1280,2400 --screenshot="$OUT/report.png" \
			"file://$OUT/report.html" >shot.out 2>shot.err &&
		test -s "$OUT/report.png" &&
		if [ "$console_way" = dom ]; then
			with_console_hook "$OUT/report.html" "$OUT/report-hooked.html" &&
			timeout 120 "$CHROMIUM" $(console_flags 0) "file://$OUT/report-hooked.html" \
				>dom.html 2>/dev/null &&
			console_of dom.html >console.err &&
			sed -i "s#<pre id=\"steady-console\">.*</pre>##" dom.html &&
			test_count_is 0 cat console.err
		else
			timeout 120 "$CHROMIUM" $(console_flags $console_way) "file://$OUT/report.html" \
				>dom.html 2>console.err &&
			# a console message (an error in the page) is logged as INFO:CONSOLE
			test_count_is 0 grep "CONSOLE" console.err
		fi &&
		# no coordinate or size that is not a number: printf of NaN or an
		# infinity as an attribute, alone or among others (a path, points)
		test_count_is 0 grep -oE "=\"([^\"]*[ ,])?-?(nan|inf)([ ,][^\"]*)?\"" "$OUT/report.html" &&
		# what the browser built: one run-point per run of every input, and
		# every other mark the page has
		test "$(count_class dom.html run-point)" = "$(runs_in $inputs)" &&
		for c in run-point interval hist-bar bar flame-rect margin-band; do
			test "$(count_class dom.html $c)" = "$(count_class "$OUT/report.html" $c)" ||
				{ echo "$c: $(count_class dom.html $c) drawn, $(count_class "$OUT/report.html" $c) in the page"; return 1; }
		done &&
		# layout: 4 variants a side, sweep: 3 configurations, bisect: 4 steps
		# and the whole change
		test "$(count_class dom.html interval side-a)" = 4 &&
		test "$(count_class dom.html interval side-b)" = 4 &&
		test "$(grep -c "<title>cflags=-O[012]: " dom.html)" = 3 &&
		test "$(grep -c "<title>\(whole change\|step [0-9]*\): " dom.html)" = 5 &&
		test "$(grep -o "<svg" dom.html | wc -l)" = "$(grep -o "<svg" "$OUT/report.html" | wc -l)" &&
		# every SVG of the page is well-formed XML
		py "
import re, sys, xml.etree.ElementTree as ET
page = open(sys.argv[1], encoding=\"utf-8\").read()
svgs = re.findall(r\"<svg .*?</svg>\", page, re.S)
assert svgs, \"no svg\"
for s in svgs:
    ET.fromstring(s)
print(len(svgs), \"svg\")" "$OUT/report.html" &&
		# the picture: not blank (many colours, much ink)
		py "
import struct, sys, zlib
data = open(sys.argv[1], \"rb\").read()
assert data[:8] == b\"\\x89PNG\\r\\n\\x1a\\n\", \"not a PNG\"
pos, idat = 8, []
while pos < len(data):
    n, kind = struct.unpack(\">I4s\", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b\"IHDR\":
        w, h, depth, ctype = struct.unpack(\">IIBB\", body[:10])
    elif kind == b\"IDAT\":
        idat.append(body)
    pos += 12 + n
assert depth == 8 and ctype in (2, 6), (depth, ctype)
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(b\"\".join(idat)), w * bpp
prev, colours, ink = bytearray(stride), set(), 0
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + ((a + b) >> 1)) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for i in range(0, stride, bpp):
        px = bytes(line[i:i + 3])
        colours.add(px)
        ink += px != b\"\\xff\\xff\\xff\"
    prev = line
print(w, h, len(colours), \"colours\", ink, \"pixels not white\")
assert len(colours) > 50 and ink > w * h // 50, \"the screenshot is (nearly) blank\"
" "$OUT/report.png" &&
		echo "screenshot: $OUT/report.png"
	'
	echo "# the rendered report: $OUT/report.png (page: $OUT/report.html)"
fi

test_done
