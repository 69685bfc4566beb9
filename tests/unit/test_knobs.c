/*
 * Unit tests for system/knobs.c's list: the exact files tune writes and
 * reset may write back. Every path a tune function of system/checks.c
 * builds must match, with its check; anything that merely looks like one
 * (a number spelt otherwise, a "..", a doubled or trailing slash, a
 * /proc/self/root detour) must not. t0026 tests the opening itself.
 */
#include "unit_fixture.h"

#include "system/knobs.h"

static void test_every_tuned_path(void **state)
{
	(void)state;
	assert_string_equal(knob_check("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"),
			    "cpu-governor");
	assert_string_equal(knob_check("/sys/devices/system/cpu/cpu127/cpufreq/scaling_min_freq"),
			    "min-frequency");
	assert_string_equal(knob_check("/sys/devices/system/cpu/intel_pstate/no_turbo"), "turbo");
	assert_string_equal(knob_check("/sys/devices/system/cpu/cpufreq/boost"), "turbo");
	assert_string_equal(knob_check("/proc/sys/kernel/randomize_va_space"), "aslr");
	assert_string_equal(knob_check("/proc/sys/kernel/perf_event_max_sample_rate"),
			    "perf-sample-rate");
	assert_string_equal(knob_check("/proc/irq/default_smp_affinity"), "irq-affinity");
	assert_string_equal(knob_check("/proc/irq/0/smp_affinity"), "irq-affinity");
	assert_string_equal(knob_check("/proc/irq/123456789/smp_affinity"), "irq-affinity");
	assert_string_equal(knob_check("/sys/devices/system/cpu/cpu3/online"), "smt");
	assert_string_equal(knob_check("/sys/kernel/mm/transparent_hugepage/enabled"), "thp");
}

static void test_look_alikes_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"/",
		"/proc/self/root/tmp/x",
		"/proc/self/root/proc/sys/kernel/randomize_va_space",
		"/proc/sys/kernel/core_pattern",
		"/proc/sys/kernel/../kernel/randomize_va_space",
		"/proc/sys/kernel/./randomize_va_space",
		"/proc/sys//kernel/randomize_va_space",
		"//proc/sys/kernel/randomize_va_space",
		"proc/sys/kernel/randomize_va_space",
		"/proc/sys/kernel/randomize_va_space/",
		"/proc/sys/kernel/randomize_va_space/..",
		"/proc/sys/kernel/randomize_va_space\n",
		"/sys/devices/system/cpu/cpu/online",
		"/sys/devices/system/cpu/cpu01/online",
		"/sys/devices/system/cpu/cpu+1/online",
		"/sys/devices/system/cpu/cpu-1/online",
		"/sys/devices/system/cpu/cpu1234567890/online",
		"/sys/devices/system/cpu/cpu1x/online",
		"/sys/devices/system/cpu/cpu1/../cpu2/online",
		"/sys/devices/system/cpu/cpu1/cpufreq/scaling_max_freq",
		"/proc/irq/*/smp_affinity",
		"/proc/irq/24/smp_affinity_list",
		"/proc/irq/24/../../sys/kernel/randomize_va_space",
		"/sys/kernel/mm/transparent_hugepage/defrag",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (knob_check(bad[i]))
			fail_msg("'%s' is taken for a knob", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_tuned_path),
		cmocka_unit_test(test_look_alikes_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
