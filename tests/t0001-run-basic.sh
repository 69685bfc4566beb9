#!/usr/bin/env bash
# steady run: what one benchmark measures and prints.
. "$(dirname "$0")/lib.sh"

test_expect_success 'summary shows mean, spread, CI, median, range, runs' '
	steady run -n 5 -- "$HELPER" sleep 5 >out &&
	grep "^Benchmark: .*steady-helper sleep 5$" out &&
	grep "Time (mean ± σ): .* ms ± .* ms .*\[user .*, sys .*\]" out &&
	grep "Median (± MAD): .* range .* … " out &&
	grep "95% CI: *mean \[.*\] ms *median n/a" out &&
	grep "Percentiles: *p5 .* p95 " out &&
	grep "Runs: *5 measured, [0-9]* outliers*, env padding 0–4095 B" out &&
	grep "max RSS .* faults .* ctx switches" out
'

test_expect_success 'wall time is never less than the sleep, and cpu time tracks burn' '
	steady run -n 3 -o r.json -- "$HELPER" sleep 20 >/dev/null &&
	test_count_is 3 json_values wall_ns r.json &&
	for w in $(json_values wall_ns r.json); do [ "$w" -ge 20000000 ] || exit 1; done &&
	steady run -n 3 -o b.json -- "$HELPER" burn 40 >/dev/null &&
	test_count_is 3 json_values user_us b.json &&
	test_count_is 3 json_values sys_us b.json &&
	paste <(json_values user_us b.json) <(json_values sys_us b.json) |
		while read u s; do [ $((u + s)) -ge 30000 ] || exit 1; done
'

test_expect_success 'max RSS and page faults come from the child' '
	steady run -n 2 -o r.json -- "$HELPER" alloc 67108864 >out &&
	test_count_is 2 json_values max_rss_kib r.json &&
	for k in $(json_values max_rss_kib r.json); do [ "$k" -ge 65536 ] || exit 1; done &&
	test_count_is 2 json_values minor_faults r.json &&
	for f in $(json_values minor_faults r.json); do [ "$f" -ge 16 ] || exit 1; done &&
	# under valgrind steady itself is bigger than the child: the floor is right
	{ test -n "${VALGRIND_STEADY:-}" || ! grep "the floor" out; }
'

test_expect_success 'a max RSS at the harness size is called the floor' '
	steady run -n 2 -o r.json -- "$HELPER" sleep 0 >out &&
	grep "max RSS .* (steady.s own size: the floor)" out &&
	[ "$(json_values harness_max_rss_kib r.json)" -gt 0 ]
'

test_expect_success 'a single command string is split into words, no shell' '
	steady run -n 2 "$HELPER append ran.log" >out &&
	test $(wc -l <ran.log) = 2 &&
	grep "^Benchmark: .*steady-helper append ran.log$" out
'

test_expect_success '--warmup runs are recorded but not analysed' '
	steady run -n 3 -w 2 -o r.json -- "$HELPER" append ran.log >out &&
	test $(wc -l <ran.log) = 5 &&
	grep "Runs: *3 measured + 2 warm-up" out &&
	test $(json_values warmup r.json | grep -c true) = 2 &&
	test $(json_values warmup r.json | grep -c false) = 3
'

test_expect_success 'stdin is /dev/null and output is discarded' '
	echo "not for the child" | steady run -n 1 -- "$HELPER" stdin got print 100 eprint 100 >out 2>err &&
	test "$(cat got)" = 0 &&
	! grep xxxx out err
'

test_expect_success '--show-output lets the output through' '
	steady run -n 1 --show-output -- "$HELPER" print 50 >out &&
	grep xxxxxxxxxx out
'

test_expect_success 'each run is its own process group leader' '
	steady run -n 1 -- "$HELPER" pgid ids &&
	read pid pgid <ids && test "$pid" = "$pgid"
'

test_expect_success 'environment padding: 0-4095 bytes, varies, recorded per run' '
	steady run -n 1 -o r.json -- "$HELPER" getenv STEADY_PAD len >/dev/null &&
	test_count_is 1 json_values env_pad r.json &&
	test "$(cat len)" = "$(json_values env_pad r.json)" &&
	steady run -n 12 -o r.json -- "$HELPER" sleep 0 >/dev/null &&
	test_count_is 12 json_values env_pad r.json &&
	for p in $(json_values env_pad r.json); do
		[ "$p" -ge 0 ] && [ "$p" -le 4095 ] || exit 1
	done &&
	test $(json_values env_pad r.json | sort -u | wc -l) -gt 1
'

test_expect_success '--seed makes the padding sequence reproducible' '
	steady run -n 6 --seed 42 -o a.json -- "$HELPER" sleep 0 >/dev/null &&
	steady run -n 6 --seed 42 -o b.json -- "$HELPER" sleep 0 >/dev/null &&
	test_count_is 6 json_values env_pad a.json &&
	test "$(json_values env_pad a.json)" = "$(json_values env_pad b.json)" &&
	test "$(json_values seed a.json)" = 42
'

test_expect_success '--no-randomize: no padding variable, recorded as -1' '
	steady run -n 2 --no-randomize -o r.json -- "$HELPER" getenv STEADY_PAD len >out &&
	test "$(cat len)" = -1 &&
	test "$(json_values env_pad r.json | sort -u)" = -1 &&
	grep "no randomisation" out
'

test_expect_success 'ASLR stays on by default, --no-aslr turns it off' '
	steady run -n 1 -- "$HELPER" aslr state && test "$(cat state)" = on &&
	steady run -n 1 --no-aslr -- "$HELPER" aslr state && test "$(cat state)" = off
'

test_expect_success '--cpu pins the command' '
	steady run -n 1 --cpu 0 -- "$HELPER" affinity cpus && test "$(cat cpus)" = 0
'

test_expect_success '--prepare runs before every run, --setup and --cleanup once' '
	steady run -n 3 -w 1 --prepare "$HELPER append prep.log" \
		--setup "$HELPER append setup.log" --cleanup "$HELPER append cleanup.log" \
		-- "$HELPER" append ran.log >/dev/null &&
	test $(wc -l <prep.log) = 4 && test $(wc -l <ran.log) = 4 &&
	test $(wc -l <setup.log) = 1 && test $(wc -l <cleanup.log) = 1
'

test_expect_success '--shell runs the command through /bin/sh' '
	steady run -n 2 --shell "echo hi >>shell.log" >/dev/null &&
	test $(grep -c hi shell.log) = 2
'

test_expect_success 'adaptive: at least --min-runs, at most --max-runs' '
	steady run --min-runs 4 --max-time 0.05 -o r.json -- "$HELPER" sleep 20 >/dev/null &&
	test $(json_values wall_ns r.json | wc -l) -ge 4 &&
	steady run --min-runs 2 --max-runs 5 --max-time 100 -o r.json -- "$HELPER" sleep 0 >/dev/null &&
	test $(json_values wall_ns r.json | wc -l) = 5
'

test_expect_success 'adaptive default: at least 10 runs and keeps going for --max-time' '
	steady run --max-time 0.3 -o r.json -- "$HELPER" sleep 1 >/dev/null &&
	test $(json_values wall_ns r.json | wc -l) -ge 10
'

test_expect_success 'warnings are printed (their rules: tests/unit/test_summary.c)' '
	steady run -n 3 -- "$HELPER" sleep 0 >out &&
	grep "Warning: only 3 runs" out
'

test_expect_success 'with -i failing runs are measured and a warning says so' '
	steady run -n 3 -i -- "$HELPER" exit 3 >out &&
	grep "Warning: 3 of 3 runs failed" out
'

test_expect_success 'progress is drawn on a terminal only, without colour under NO_COLOR' '
	steady run -n 3 -- "$HELPER" sleep 50 2>err >/dev/null &&
	test ! -s err &&
	NO_COLOR=1 script -qec "\"$STEADY\" run -n 3 -- \"$HELPER\" sleep 50" /dev/null >tty.out &&
	grep -a "Measuring" tty.out &&
	! grep -a "$(printf "\033\\[3")" tty.out &&
	script -qec "\"$STEADY\" run -n 3 -- \"$HELPER\" sleep 50" /dev/null >tty.out &&
	grep -a "$(printf "\033\\[3")" tty.out
'

test_expect_success '--help and --version' '
	steady --help >out && grep "run .*benchmark commands" out &&
	steady run --help >out && grep -- "--max-time" out && grep -- "--no-aslr" out &&
	steady --version | grep "^steady [0-9]"
'

test_expect_success 'what a run leaves running in its process group is killed when it exits' '
	steady run -n 1 -- "$HELPER" grandchild 60000 gc.pid sleep 300 >/dev/null &&
	test -s gc.pid && wait_until 5 process_gone "$(cat gc.pid)"
'

test_expect_success '--timeout applies to measured runs only, not to --setup or --prepare' '
	steady run -n 2 --timeout 0.3 --setup "$HELPER sleep 500" --prepare "$HELPER sleep 400" \
		-- "$HELPER" sleep 1 >out
'

test_expect_success 'with steady'"'"'s own stdin closed, the command still reads /dev/null' '
	steady run -n 2 -o r.json -- sh -c "test -e /proc/self/fd/0" <&- >/dev/null &&
	test "$(json_values exit_code r.json | sort -u)" = 0 &&
	steady stat -n 2 -e task-clock -- sh -c "test -e /proc/self/fd/0" <&- >/dev/null
'

test_expect_success 'several commands: each one a command string, interleaved, each against the fastest' '
	steady run -n 4 -o several.json "$HELPER append a.log sleep 0" "$HELPER append b.log sleep 300" >out &&
	test $(wc -l <a.log) = 4 && test $(wc -l <b.log) = 4 &&
	test $(grep -c "^Benchmark: " out) = 2 &&
	grep "^Relative to the fastest, .*append a.log sleep 0" out &&
	grep "^  .*append b.log sleep 300. ran [0-9.]*x \[[0-9.]*x, [0-9.]*x\] as long" out &&
	test $(grep -c "\"name\"" several.json) = 2 &&
	# interleaved: the two commands alternate round by round
	json_values seq several.json >seq && test_count_is 8 cat seq &&
	test "$(sort -n seq | tr "\n" " ")" = "0 1 2 3 4 5 6 7 "
'

test_expect_success 'after -- the words are one command, as before' '
	steady run -n 2 -- "$HELPER" append one.log >out &&
	test $(wc -l <one.log) = 2 && test $(grep -c "^Benchmark: " out) = 1
'

test_expect_success 'scans: -P with -D, -L, their product, {NAME} in the words' '
	steady run -n 2 -P n 1 3 -L f x,y -o scan.json -- "$HELPER" append "{f}.log" sleep "{n}" >out &&
	test $(grep -c "^Benchmark: " out) = 6 &&
	test $(wc -l <x.log) = 6 && test $(wc -l <y.log) = 6 &&
	grep "^Benchmark: .*append x.log sleep 3$" out &&
	steady run -n 1 -P t 0.5 1 -D 0.25 "$HELPER append v{t}.log" >out &&
	test -f v0.5.log && test -f v0.75.log && test -f v1.log &&
	test "$(grep "^Benchmark: " out | sed "s/.*append //" | tr "\n" " ")" = "v0.5.log v0.75.log v1.log " &&
	steady run -n 2 -P n 1 3 -L f x,y -o scan2.json -- "$HELPER" append "{f}.log" sleep "{n}" >/dev/null &&
	steady compare scan.json scan2.json >cmp &&
	test $(grep -c "SLOWER\|FASTER\|SAME\|UNRESOLVED" cmp) = 6
'

test_expect_success 'scans and several commands: bad input is one line, exit 2' '
	test_expect_code 2 steady run -n 1 -D 2 "$HELPER sleep 0" 2>err && test_one_error_line err &&
	test_expect_code 2 steady run -n 1 -P n 1 2.5 "$HELPER sleep {n}" 2>err &&
	test_one_error_line err && grep "give its step with -D" err &&
	test_expect_code 2 steady run -n 1 -P n 3 1 "$HELPER sleep {n}" 2>err && test_one_error_line err &&
	test_expect_code 2 steady run -n 1 -L m a,,b "$HELPER sleep {m}" 2>err && test_one_error_line err &&
	test_expect_code 2 steady run -n 1 -L m a,b "$HELPER sleep 0" 2>err &&
	test_one_error_line err && grep "not used" err &&
	test_expect_code 2 steady run -n 1 -L m a,b "$HELPER sleep {mm}" 2>err && test_one_error_line err &&
	test_expect_code 2 steady run -n 1 -P n 1 20000 "$HELPER sleep {n}" 2>err && test_one_error_line err &&
	test_expect_code 2 steady run -n 1 --name x "$HELPER sleep 0" "$HELPER sleep 1" 2>err &&
	test_one_error_line err &&
	test_expect_code 2 steady run -n 1 -P n 1 2>err && test_one_error_line err
'

test_expect_success 'hyperfine'"'"'s exports: --export-json is -o, --export-markdown and --export-csv the summaries' '
	steady run -n 3 --export-json r.json --export-markdown r.md --export-csv r.csv \
		"$HELPER sleep 0" "$HELPER sleep 30" >/dev/null &&
	test_count_is 6 json_values wall_ns r.json &&
	sed -n 1p r.md | grep -x "| Command | Mean \[\(µs\|ms\)\] | Median \[\(µs\|ms\)\] | Min \[\(µs\|ms\)\] | Max \[\(µs\|ms\)\] | Relative |" &&
	test $(grep -c "^| .*steady-helper sleep \(0\|30\) | [0-9.]* ± [0-9.]* |" r.md) = 2 &&
	grep "steady-helper sleep 0 | .* | 1.00 |$" r.md &&
	test "$(sed -n 1p r.csv)" = "command,metric,mean,stddev,median,min,max,runs,relative" &&
	test $(grep -c "^\".*steady-helper sleep \(0\|30\)\",wall,[0-9.e-]*,[0-9.e-]*,[0-9.e-]*,[0-9.e-]*,[0-9.e-]*,3,[0-9.]*$" r.csv) = 2 &&
	steady stat -n 2 --export-json s.json -- "$HELPER" sleep 0 >/dev/null 2>&1 &&
	test_count_is 2 json_values wall_ns s.json &&
	test_expect_code 2 steady run -n 1 --export-markdown /nonexistent/dir/x.md "$HELPER sleep 0" 2>err &&
	test_one_error_line err
'

test_expect_success 'repeated commands are numbered apart; a list value given twice is refused' '
	steady run -n 1 -o twice.json -- "$HELPER sleep 0" >/dev/null &&
	steady run -n 1 -o rep.json "$HELPER sleep 0" "$HELPER sleep 0" >out &&
	grep "^Benchmark: 1: .*sleep 0$" out && grep "^Benchmark: 2: .*sleep 0$" out &&
	test_expect_code 2 steady run -n 1 -L x a,b,a "$HELPER append {x}.log" 2>err &&
	test_one_error_line err && grep "has .a. twice" err &&
	steady run -n 1 -P x 0 0.3 -D 0.1 "$HELPER append v{x}.log" >out &&
	test -f v0.log && test -f v0.1.log && test -f v0.2.log && test -f v0.3.log
'

test_done
