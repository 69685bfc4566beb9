#!/bin/sh
# demo.sh STEADY EXAMPLE BUILD: what `make demo` shows.
#   1. steady run on examples/work (the basics, saved as BUILD/demo.json);
#   2. the seed story on examples/layout: an interpreter and its dead-code
#      twin (a never-called function added before the hot loop). steady
#      compare judges the two binaries; steady layout rebuilds both sides
#      with other code layouts and says whether the difference is real;
#      steady profile --annotate shows where the hot loop sits in each.
set -eu
steady=$1 example=$2 build=$3
src=examples/layout
# The example's make must not inherit this make's variables.
unset MAKEFLAGS MAKELEVEL MFLAGS || true

echo "== steady run: one program, timed until the estimate is steady"
"$steady" run --warmup 2 --name 'examples/work 30M' -o "$build/demo.json" -- "$example" 30000000
echo "results saved to $build/demo.json (format: docs/results-format.md)"

echo
echo "== the seed story: $src and its dead-code twin ($src/dead-code.diff)"
twin=$build/demo-layout
rm -rf "$twin"
mkdir -p "$twin"
cp -R "$src" "$twin/a"
cp -R "$src" "$twin/b"
(cd "$twin/b" && patch -s -p1 <dead-code.diff)
for side in a b; do
	make -s -C "$twin/$side" clean >/dev/null
	make -s -C "$twin/$side" CC=cc CFLAGS=-O2 >/dev/null
done
echo
echo "-- steady compare: the two binaries, as any benchmark tool sees them"
"$steady" compare --max-time 20 -- "$twin/a/interp" "$twin/b/interp"
echo
echo "-- steady layout: both sides rebuilt with 8 link orders each"
"$steady" layout -o "$build/layout.json" --src "$src" --patch "$src/dead-code.diff" \
	--build 'make -s -C {dir} CC={cc} CFLAGS="-O2 {cflags}" LDFLAGS={ldflags}' -- '{dir}/interp'
echo "(docs/layout.md explains the verdicts; every variant is in $build/layout.json)"
echo
echo "-- steady profile: where the time goes in each binary, and where the hot loop sits"
# Sampling may be refused here (perf_event_paranoid, a container): the demo
# says so and ends well, the rest having been shown.
if "$steady" profile -n 5 --annotate run "$twin/a/interp" "$twin/b/interp"; then
	echo "(look at the last lines: run's offset in its cache line in A and in B, the same"
	echo " instructions moved; the listings mark where cache lines and 32-byte windows begin."
	echo " docs/profile.md explains the report)"
else
	echo "(steady profile could not sample here: the line above says why)"
fi
