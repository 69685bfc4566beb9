#!/usr/bin/env bash
# steady system show/tune/reset against fake /sys and /proc trees (--root),
# every check in its OK, WARNING and N/A states, the tune+reset round trip,
# the non-root path, and show on the real machine.
. "$(dirname "$0")/lib.sh"

# put ROOT PATH VALUE: a file of the fake tree.
put() {
	mkdir -p "$(dirname "$1$2")" && printf '%s\n' "$3" >"$1$2"
}

# A 4-CPU machine, tuned or not (the values a real one would show).
# make_root DIR tuned|untuned
make_root() {
	local r=$1 good=$2 cpu
	c=/sys/devices/system/cpu
	put "$r" $c/online 0-3
	for cpu in 0 1 2 3; do
		if [ "$good" = tuned ]; then
			put "$r" $c/cpu$cpu/cpufreq/scaling_governor performance
			put "$r" $c/cpu$cpu/cpufreq/scaling_min_freq 3000000
		else
			put "$r" $c/cpu$cpu/cpufreq/scaling_governor powersave
			put "$r" $c/cpu$cpu/cpufreq/scaling_min_freq 800000
		fi
		put "$r" $c/cpu$cpu/cpufreq/scaling_max_freq 3000000
		put "$r" $c/cpu$cpu/online 1
		# cores: 0+2, 1+3
		put "$r" $c/cpu$cpu/topology/thread_siblings_list "$((cpu % 2)),$((cpu % 2 + 2))"
	done
	mkdir -p "$r/proc/1" "$r/proc/irq/24" "$r/proc/irq/25"
	put "$r" /proc/1/stat "1 (init) S 0 1 1"
	put "$r" /proc/irq/24/smp_affinity_list 0-3
	put "$r" /proc/irq/24/smp_affinity f
	put "$r" /proc/irq/25/smp_affinity_list 0
	put "$r" /proc/irq/25/smp_affinity 1
	put "$r" /proc/irq/default_smp_affinity f
	put "$r" /proc/cpuinfo "flags		: fpu sse2"
	put "$r" /proc/stat "cpu  100 0 100 1000 0 0 0 0 0 0"
	if [ "$good" = tuned ]; then
		put "$r" $c/intel_pstate/no_turbo 1
		put "$r" $c/isolated 3
		put "$r" $c/nohz_full 3
		put "$r" /proc/cmdline "quiet isolcpus=3 nohz_full=3 rcu_nocbs=3"
		put "$r" /proc/sys/kernel/randomize_va_space 2
		put "$r" /proc/sys/kernel/perf_event_max_sample_rate 1
		put "$r" /sys/kernel/mm/transparent_hugepage/enabled "always [madvise] never"
		put "$r" /proc/meminfo "$(printf 'MemTotal: 1000 kB\nSwapTotal: 2048 kB\nSwapFree: 2048 kB')"
		put "$r" /proc/loadavg "0.05 0.10 0.10 1/80 123"
		# the isolated CPU 3 has its sibling 1 offline and no IRQ
		put "$r" $c/online 0,2-3
		put "$r" /proc/irq/24/smp_affinity_list 0-2
	else
		put "$r" $c/intel_pstate/no_turbo 0
		put "$r" $c/isolated ""
		put "$r" /proc/cmdline "quiet"
		put "$r" /proc/sys/kernel/randomize_va_space 0
		put "$r" /proc/sys/kernel/perf_event_max_sample_rate 100000
		put "$r" /sys/kernel/mm/transparent_hugepage/enabled "[always] madvise never"
		put "$r" /proc/meminfo "$(printf 'MemTotal: 1000 kB\nSwapTotal: 2048 kB\nSwapFree: 1024 kB')"
		put "$r" /proc/loadavg "3.50 2.00 1.00 3/80 123"
		mkdir -p "$r/proc/77" "$r/proc/78"
		put "$r" /proc/77/stat "77 (irqbalance) S 1 77 77"
		put "$r" /proc/78/stat "78 (cc1 (busy)) R 1 78 78"
		put "$r" /proc/cpuinfo "flags		: fpu sse2 hypervisor"
		put "$r" /sys/hypervisor/type xen
		put "$r" /proc/stat "cpu  100 0 100 700 0 0 0 100 0 0"
	fi
}

# state OUT TITLE: the state column of the line titled TITLE.
state() {
	grep -F "$2" "$1" | head -1 | cut -c1-8 | tr -d ' '
}

TITLES="CPU frequency governor|Turbo / boost|Minimum CPU frequency|Isolated CPUs|Address space randomisation|perf_event_max_sample_rate|irqbalance|IRQ affinity|SMT siblings|Transparent huge pages|Swap|Load and busy processes|Hypervisor"

# all_states OUT STATE: every check but those listed after it is in STATE.
all_states() {
	local out=$1 want=$2 t
	shift 2
	IFS='|' read -r -a titles <<<"$TITLES"
	for t in "${titles[@]}"; do
		case " $* " in *" $t "*) continue ;; esac
		if [ "$(state "$out" "$t")" != "$want" ]; then
			echo "'$t' is $(state "$out" "$t"), not $want"
			return 1
		fi
	done
}

test_expect_success 'show: a tuned machine is OK on every check, exit 0' '
	make_root r tuned &&
	steady system show --root "$PWD/r" >out &&
	all_states out OK &&
	grep "^Tuned: no warnings.$" out
'

test_expect_success 'show: an untuned machine warns on every check, with advice, exit 0 (3 with --check)' '
	make_root r untuned &&
	steady system show --root "$PWD/r" >out &&
	test_expect_code 3 steady system show --check --root "$PWD/r" >out2 &&
	test_cmp_files out out2 &&
	all_states out WARNING "IRQ affinity" &&
	test "$(state out "IRQ affinity")" = N/A &&
	grep "powersave on 4 of 4 CPUs" out &&
	grep "siblings online: 2-3" out &&
	grep "xen; steal 10.0% since boot" out &&
	grep "running: cc1 (busy)\[78\]" out &&
	test $(grep -c "^         -> " out) = 13 &&
	grep "^Not tuned: 12 warnings; steady system tune can fix 6 of them.$" out
'

test_expect_success 'show: IRQs on the isolated CPU warn' '
	make_root r tuned &&
	put r /proc/irq/24/smp_affinity_list 0-3 &&
	test_expect_code 3 steady system show --check --root "$PWD/r" >out &&
	test "$(state out "IRQ affinity")" = WARNING &&
	grep "1 of 2 IRQs may run on isolated CPUs" out
'

test_expect_success 'show: an empty tree is N/A everywhere (nothing to read)' '
	mkdir empty &&
	steady system show --root "$PWD/empty" >out &&
	all_states out N/A "Swap" &&
	test "$(state out Swap)" = N/A
'

test_expect_success 'show --json: every check with state, value, advice and tunable' '
	make_root r untuned &&
	steady system show --json --root "$PWD/r" >j &&
	test_expect_code 3 steady system --check show --json --root "$PWD/r" >/dev/null &&
	grep "\"tuned\": false" j &&
	test $(grep -c "\"state\": \"WARNING\"" j) = 12 &&
	test $(grep -c "\"tunable\": true" j) = 6 &&
	grep "\"name\": \"cpu-governor\"" j
'

test_expect_success 'tune then reset: every write reported, exact previous values back' '
	make_root r untuned &&
	cp -a r before &&
	steady system tune --root "$PWD/r" >out &&
	grep "cpu-governor .*scaling_governor: powersave -> performance" out &&
	grep "turbo .*no_turbo: 0 -> 1" out &&
	grep "thp .*enabled: always -> madvise" out &&
	test "$(cat r/sys/devices/system/cpu/cpu2/cpufreq/scaling_governor)" = performance &&
	test "$(cat r/sys/devices/system/cpu/cpu0/cpufreq/scaling_min_freq)" = 3000000 &&
	test "$(cat r/proc/sys/kernel/perf_event_max_sample_rate)" = 1 &&
	test "$(cat r/proc/sys/kernel/randomize_va_space)" = 2 &&
	test -s r/var/lib/steady/system-state.json &&
	grep "\"format\": \"steady-system-state\"" r/var/lib/steady/system-state.json &&
	steady system tune --root "$PWD/r" >again &&
	grep "nothing to change" again &&
	steady system reset --root "$PWD/r" >out &&
	grep "^Restoring:" out &&
	test ! -e r/var/lib/steady/system-state.json &&
	rm -r r/var &&
	# the kernel shows the choice in brackets; the fake file keeps what was written
	test "$(cat r/sys/kernel/mm/transparent_hugepage/enabled)" = always &&
	cp before/sys/kernel/mm/transparent_hugepage/enabled r/sys/kernel/mm/transparent_hugepage/ &&
	diff -r before r
'

test_expect_success 'tune with isolated CPUs: IRQs moved off them, siblings taken offline' '
	make_root r tuned &&
	put r /sys/devices/system/cpu/online 0-3 &&
	put r /proc/irq/24/smp_affinity_list 0-3 &&
	cp -a r before &&
	steady system tune --root "$PWD/r" >out &&
	test "$(cat r/proc/irq/24/smp_affinity)" = 7 &&
	test "$(cat r/proc/irq/default_smp_affinity)" = 7 &&
	test "$(cat r/sys/devices/system/cpu/cpu1/online)" = 0 &&
	steady system reset --root "$PWD/r" >/dev/null &&
	rm -r r/var && diff -r before r
'

test_expect_success 'a write that fails is reported, exit 1; reset keeps what it could not restore' '
	make_root r untuned &&
	rm r/proc/sys/kernel/randomize_va_space && mkdir r/proc/sys/kernel/randomize_va_space &&
	test_expect_code 1 steady system tune --root "$PWD/r" >out 2>err &&
	grep "cannot write 2 to /proc/sys/kernel/randomize_va_space" out &&
	test_one_error_line err && grep "1 of [0-9]* writes failed" err
'

test_expect_success 'reset without a saved state explains and changes nothing' '
	make_root r untuned &&
	cp -a r before &&
	steady system reset --root "$PWD/r" >out &&
	grep "^Nothing to reset: no saved state" out &&
	diff -r before r
'

# As root, the test becomes nobody; as anyone else, it already is not root.
as_user=
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null && as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ "$(id -u)" = 0 ] && [ -z "$as_user" ]; then
	test_skip 'tune and reset need root, and say so' 'running as root, and setpriv is missing to drop it'
else
test_expect_success 'tune and reset need root, and say so' '
	make_root r untuned &&
	chmod -R a+rX . &&
	test_expect_code 2 $as_user "$STEADY" system tune --root "$PWD/r" >out 2>err &&
	test_one_error_line err && grep "needs root" err &&
	test_expect_code 2 $as_user "$STEADY" system reset --root "$PWD/r" 2>err &&
	test_one_error_line err && grep "needs root" err &&
	test "$(cat r/proc/sys/kernel/randomize_va_space)" = 0
'
fi

test_expect_success 'bad usage: one line, exit 2' '
	test_expect_code 2 steady system 2>err && test_one_error_line err &&
	test_expect_code 2 steady system frobnicate 2>err && test_one_error_line err &&
	test_expect_code 2 steady system tune --json 2>err && test_one_error_line err &&
	test_expect_code 2 steady system reset --check 2>err && test_one_error_line err &&
	test_expect_code 2 steady system show --chec 2>err && test_one_error_line err &&
	test_expect_code 2 steady system show --root /nonexistent 2>err && test_one_error_line err &&
	mkdir -p r/var/lib/steady && echo "{" >r/var/lib/steady/system-state.json &&
	test_expect_code 2 steady system reset --root "$PWD/r" 2>err && test_one_error_line err
'

test_expect_success 'hostile trees: a huge CPU number, a state file pointing outside /sys and /proc' '
	make_root r untuned &&
	echo 99999999999999999999 >r/sys/devices/system/cpu/online &&
	test_expect_code 3 steady system show --check --root "$PWD/r" >out &&
	grep "^N/A *CPU frequency governor" out &&
	make_root s untuned &&
	mkdir -p s/var/lib/steady &&
	printf "%s\n" "{\"format\": \"steady-system-state\", \"version\": 1, \"saved\": [{\"check\": \"x\", \"path\": \"/../../escaped\", \"value\": \"no\"}]}" \
		>s/var/lib/steady/system-state.json &&
	test_expect_code 2 steady system reset --root "$PWD/s" 2>err &&
	test_one_error_line err && test ! -e escaped && test ! -e ../escaped &&
	mkdir empty && steady system tune --root "$PWD/empty" >out &&
	grep "nothing to change" out
'

test_expect_success 'show on this machine: every check answers, exit 0; --check 0 or 3' '
	steady system show >out &&
	steady system show --check >/dev/null; rc=$?
	{ [ $rc = 0 ] || [ $rc = 3 ]; } &&
	test $(grep -c "^\(OK\|WARNING\|N/A\) " out) = 13
'

test_expect_success 'run, compare and stat record the warnings of system show, one compact line' '
	steady system show --check --json >sys.json; rc=$?
	steady run -n 2 -o r.json -- "$HELPER" sleep 0 >out &&
	steady stat -n 2 -e task-clock -o s.json -- "$HELPER" sleep 0 >sout &&
	steady compare -n 2 -o c.json -- "$HELPER sleep 0" "$HELPER sleep 1" >cout &&
	for f in r.json s.json c.json; do grep "\"system\": {" $f || return 1; done &&
	if [ $rc = 3 ]; then
		grep "\"tuned\": false" r.json &&
		test $(grep -c "machine not tuned for benchmarking (.*): see .steady system show." out) = 1 &&
		grep "machine not tuned" sout && grep "machine not tuned" cout
	else
		grep "\"tuned\": true" r.json && ! grep "machine not tuned" out
	fi
'

test_done
