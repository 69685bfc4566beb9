/*
 * Unit tests for spawn.c's rule that no run starts after a termination
 * signal: once SIGTERM has come, spawner_run() starts nothing and says
 * SPAWN_INTERRUPTED, whichever command asks; a spawner marked
 * runs_after_interrupt (the --cleanup command's) still runs its child.
 *
 * The signal state is process-wide and sticky, so each case runs in a
 * forked child and reports through its exit code; whether a child ran at
 * all is told by the file `touch` would have made.
 */
#include "unit_fixture.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "measure/spawn.h"

static int setup(void **state)
{
	return fixture_setup(state, "touched");
}

/* In a child: SIGTERM to itself, then one run of `touch path`. Its result + 10. */
static int run_after_sigterm(const char *path, int runs_after_interrupt)
{
	char *argv[] = { "touch", (char *)path, NULL };
	struct spawner s;
	struct run_sample r;
	enum spawn_result res;

	spawn_catch_signals();
	raise(SIGTERM);
	if (!spawn_interrupted() || spawner_init(&s, 0, 0))
		return 1;
	s.runs_after_interrupt = runs_after_interrupt;
	res = spawner_run(&s, "/usr/bin/touch", argv, environ, &r);
	spawner_release(&s);
	return 10 + (res == SPAWN_INTERRUPTED ? 0 : res == SPAWN_OK ? 1 : 2);
}

static int case_in_child(const char *path, int runs_after_interrupt)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid)
		exit(run_after_sigterm(path, runs_after_interrupt));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_nothing_starts_after_a_signal(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	assert_int_equal(case_in_child(f->path, 0), 10);
	assert_int_equal(stat(f->path, &st), -1);
}

static void test_cleanup_runs_after_a_signal(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	assert_int_equal(case_in_child(f->path, 1), 11);
	assert_int_equal(stat(f->path, &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nothing_starts_after_a_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cleanup_runs_after_a_signal, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
