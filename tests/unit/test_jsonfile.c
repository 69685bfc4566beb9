/*
 * Unit tests for the convention every JSON file steady writes follows
 * (formats/jsonfile.c): json_file_new() opens with "format", "version" and
 * "steady_version"; json_file_write() saves exactly the indented text;
 * json_file_check_kind() accepts what older steady wrote (no
 * "steady_version") and refuses another format, a newer version and a
 * top level that is no object, each with one line. The system state file
 * is one such reader: an old one still loads. json_text() keeps text that
 * is not UTF-8 (U+FFFD for each bad byte); packed columns put back into the
 * tree give the tree an unpacked load gives.
 */
#include "unit_fixture.h"

#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/jsonfile.h"
#include "formats/jsoncolumns.h"
#include "system/state.h"
#include "lib/util.h"

static int setup(void **state)
{
	return fixture_setup(state, "f.json");
}

static void test_new_and_write(void **state)
{
	struct fixture *f = *state;
	json_t *root = json_file_new("steady-test", 3);
	char want[256], got[256] = "";
	FILE *fp;

	json_object_set_new(root, "x", json_integer(1));
	assert_int_equal(json_file_write(root, f->path), 0);
	json_decref(root);
	snprintf(want, sizeof(want),
		 "{\n  \"format\": \"steady-test\",\n  \"version\": 3,\n"
		 "  \"steady_version\": \"%s\",\n  \"x\": 1\n}\n", STEADY_VERSION);
	fp = fopen(f->path, "r");
	assert_non_null(fp);
	if (fread(got, 1, sizeof(got) - 1, fp) == 0)
		got[0] = '\0';
	fclose(fp);
	assert_string_equal(got, want);
}

static void test_write_failure_one_line(void **state)
{
	struct fixture *f = *state;
	json_t *root = json_file_new("steady-test", 1);
	char path[PATH_MAX + 16], *msg;
	int ret;

	snprintf(path, sizeof(path), "%s/missing/f.json", f->dir);
	CAPTURE(ret, msg, json_file_write(root, path));
	json_decref(root);
	assert_int_equal(ret, -1);
	check_message(msg, "cannot write '");
}

static int check_text(const char *text, int known, char **msg)
{
	json_t *root = json_loads(text, JSON_DECODE_ANY, NULL);
	int ret;

	assert_non_null(root);
	CAPTURE(ret, *msg, json_file_check_kind(root, "f.json", "steady-cache", "cache", known));
	json_decref(root);
	return ret;
}

static void test_check_kind(void **state)
{
	char *msg;

	(void)state;
	/* what older steady wrote: no steady_version */
	assert_int_equal(check_text("{\"format\": \"steady-cache\", \"version\": 1}", 1, &msg), 1);
	assert_string_equal(msg, "");
	free(msg);
	assert_int_equal(check_text("{\"format\": \"steady-cache\", \"version\": 2, "
				    "\"steady_version\": \"9.0\"}", 2, &msg), 2);
	free(msg);

	assert_int_equal(check_text("{\"format\": \"steady-cache\", \"version\": 2}", 1, &msg), -1);
	check_message(msg, "cache format version 2 is newer than this steady");
	assert_int_equal(check_text("{\"format\": \"steady-trace\", \"version\": 1}", 1, &msg), -1);
	check_message(msg, "not a steady cache file (its format is 'steady-trace'");
	assert_int_equal(check_text("{\"version\": 1}", 1, &msg), -1);
	check_message(msg, "not a steady cache file (it has no 'format'");
	assert_int_equal(check_text("{\"format\": \"steady-cache\", \"version\": \"1\"}", 1, &msg), -1);
	check_message(msg, "'version' must be an integer, not a string");
	assert_int_equal(check_text("{\"format\": \"steady-cache\", \"version\": 0}", 1, &msg), -1);
	check_message(msg, "cache format version 0 is not valid");
	assert_int_equal(check_text("{\"format\": \"steady-cache\"}", 1, &msg), -1);
	check_message(msg, "'version' is missing");
	assert_int_equal(check_text("[1]", 1, &msg), -1);
	check_message(msg, "the top level is an array");
}

/* The state file of `steady system tune` before it had "steady_version". */
static void test_old_system_state_loads(void **state)
{
	struct fixture *f = *state;
	struct sysroot root = { f->dir };
	struct system_state s;
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/var", f->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/var/lib", f->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/var/lib/steady", f->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s%s", f->dir, SYSTEM_STATE_PATH);
	write_text(path, "{\n  \"format\": \"steady-system-state\",\n  \"version\": 1,\n"
		   "  \"saved\": [{\"check\": \"cpu-governor\", \"path\": "
		   "\"/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor\", "
		   "\"value\": \"powersave\"}]\n}\n");
	system_state_init(&s);
	assert_int_equal(system_state_load(&s, &root), 1);
	assert_int_equal(s.nr, 1);
	assert_string_equal(s.v[0].value, "powersave");

	/* Saved again, it follows the convention and still loads. */
	assert_int_equal(system_state_save(&s, &root), 0);
	system_state_release(&s);
	{
		json_t *j = json_file_load(path);

		assert_non_null(j);
		assert_string_equal(json_string_value(json_object_get(j, "steady_version")),
				    STEADY_VERSION);
		json_decref(j);
	}
	system_state_init(&s);
	assert_int_equal(system_state_load(&s, &root), 1);
	assert_int_equal(s.nr, 1);
	system_state_release(&s);
}

static void test_json_text(void **state)
{
	json_t *v;

	(void)state;
	v = json_text("we\xffird \xc3\xa9");
	assert_non_null(v);
	assert_string_equal(json_string_value(v), "we\xef\xbf\xbdird \xc3\xa9");
	json_decref(v);
	v = json_text("plain");
	assert_string_equal(json_string_value(v), "plain");
	json_decref(v);
	v = json_text(NULL);
	assert_true(json_is_null(v));
	json_decref(v);
}

/*
 * Packed, then unpacked: the tree of a plain load, integers, reals and
 * booleans alike (an integer after a column's first real comes back as a
 * real of the same value, so none is here).
 */
static void test_unpack_gives_the_plain_tree(void **state)
{
	struct fixture *f = *state;
	static const char *const keys[] = { "times", "flags", "n", NULL };
	struct packed_columns pc;
	json_t *plain, *packed;

	write_text(f->path, "{\"results\": [{\"times\": [1, 2, 0.5, 3.5],"
		   " \"flags\": [true, false], \"n\": [7, -8, 90000]},"
		   " {\"times\": [1.25]}], \"other\": [1, 2]}\n");
	plain = json_file_load(f->path);
	assert_non_null(plain);
	packed_columns_init(&pc);
	packed = json_file_load_packed(f->path, keys, &pc);
	assert_non_null(packed);
	assert_true(pc.nr >= 3);
	assert_false(json_equal(plain, packed));
	assert_int_equal(packed_columns_unpack(packed, &pc), 0);
	assert_true(json_equal(plain, packed));
	json_decref(plain);
	json_decref(packed);
	packed_columns_release(&pc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_and_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_failure_one_line, setup, teardown),
		cmocka_unit_test(test_check_kind),
		cmocka_unit_test_setup_teardown(test_old_system_state_loads, setup, teardown),
		cmocka_unit_test(test_json_text),
		cmocka_unit_test_setup_teardown(test_unpack_gives_the_plain_tree, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
