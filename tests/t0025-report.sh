#!/usr/bin/env bash
# steady report: one self-contained HTML page from the files other commands
# saved. The inputs are made here by real runs of steady-helper (run,
# compare -o, stat -o, trace -o; profile -o where sampling is allowed,
# cache -o where valgrind is installed) and the hyperfine and pyperf
# fixtures. The last test renders the page in headless Chromium: a
# screenshot that is not blank, one mark per run in the rendered DOM, every
# SVG well-formed, and no console error. The screenshot and the page are
# kept in $OUT (printed), so a person can look at them.
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

# runs_in FILE...: every run the files hold (steady: runs.count of each
# benchmark, warm-ups included; hyperfine: its times).
runs_in() {
	py '
import json, sys
n = 0
for p in sys.argv[1:]:
    d = json.load(open(p))
    if d.get("format") == "steady-results":
        n += sum(b["runs"]["count"] for b in d["benchmarks"])
    elif "results" in d:
        n += sum(len(r["times"]) for r in d["results"])
print(n)' "$@"
}

# count_class FILE CLASS: elements whose class list holds CLASS.
count_class() {
	grep -o "class=\"[^\"]*\"" "$1" | tr -d '"' | sed 's/^class=//' |
		awk -v c="$2" '{ for (i = 1; i <= NF; i++) if ($i == c) n++ } END { print n + 0 }'
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
	grep -q "counts of B over A" r.html && grep -q ">task-clock<" r.html
'

test_expect_success 'hyperfine and pyperf files: their times drawn, two commands of one file compared' '
	steady report -o r.html "$FIXTURES/hyperfine/two_commands.json" "$FIXTURES/pyperf/telco.json" >/dev/null &&
	test "$(count_class r.html run-point)" -ge "$(runs_in "$FIXTURES/hyperfine/two_commands.json")" &&
	grep -q "two_commands.json: .* against " r.html &&
	grep -q "telco.json (results" r.html
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

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
browser_reason=
if [ -z "$CHROMIUM" ]; then
	browser_reason="chromium is not installed (scripts/install-deps.sh installs it)"
elif ! timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --dump-dom \
		"data:text/html,<p>up</p>" >"$TEST_DIR/probe.dom" 2>"$TEST_DIR/probe.err" ||
	! grep -q "<p>up</p>" "$TEST_DIR/probe.dom"; then
	browser_reason="chromium cannot start here: $(grep -v "^$" "$TEST_DIR/probe.err" | tail -n1)"
fi

if [ -n "$browser_reason" ]; then
	test_skip 'the page in headless Chromium: not blank, one mark per run, no console error' \
		"$browser_reason"
else
	test_expect_success 'the page in headless Chromium: not blank, one mark per run, no console error' '
		steady report -o "$OUT/report.html" $inputs >/dev/null &&
		timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
			--window-size=1280,2400 --screenshot="$OUT/report.png" \
			"file://$OUT/report.html" >shot.out 2>shot.err &&
		test -s "$OUT/report.png" &&
		timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --enable-logging=stderr \
			--v=0 --virtual-time-budget=3000 --dump-dom "file://$OUT/report.html" \
			>dom.html 2>console.err &&
		# a console message (an error in the page) is logged as INFO:CONSOLE
		test_count_is 0 grep "CONSOLE" console.err &&
		# what the browser built: one run-point per run of every input
		test "$(count_class dom.html run-point)" = "$(runs_in $inputs)" &&
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
