/*
 * test_trace_counts: the tables of `steady trace` — names added up,
 * merged and sorted, and the diff of two tables: only what changed, names
 * only in A or only in B, largest |delta| first with errors and names
 * breaking ties; and the x86_64 system call names it prints.
 */
#include "unit_fixture.h"

#include "trace/syscall_names.h"
#include "trace/counts.h"

static void test_add_find_merge(void **state)
{
	struct call_table t, u;
	struct call_table_totals tot;
	const struct call_count *c;

	(void)state;
	call_table_init(&t);
	call_table_init(&u);
	call_table_add(&t, "write", 3, 1, 100);
	call_table_add(&t, "read", 2, 0, 50);
	call_table_add(&t, "write", 4, 0, 10);
	assert_int_equal(t.nr, 2);
	c = call_table_find(&t, "write");
	assert_non_null(c);
	assert_int_equal(c->calls, 7);
	assert_int_equal(c->errors, 1);
	assert_int_equal(c->time_ns, 110);
	assert_null(call_table_find(&t, "open"));

	call_table_add(&u, "open", 1, 1, 0);
	call_table_add(&u, "read", 1, 0, 0);
	call_table_merge(&t, &u);
	assert_int_equal(t.nr, 3);
	assert_int_equal(call_table_find(&t, "read")->calls, 3);
	call_table_sort(&t);
	assert_string_equal(t.items[0].name, "open");
	assert_string_equal(t.items[1].name, "read");
	assert_string_equal(t.items[2].name, "write");
	call_table_totals(&t, &tot);
	assert_int_equal(tot.calls, 11);
	assert_int_equal(tot.errors, 2);
	assert_int_equal(tot.time_ns, 160);
	call_table_release(&t);
	call_table_release(&u);
	assert_int_equal(t.nr, 0);
}

static void test_diff(void **state)
{
	struct call_table a, b;
	struct call_diff_row *rows;
	size_t nr, same;

	(void)state;
	call_table_init(&a);
	call_table_init(&b);
	call_table_add(&a, "write", 10, 0, 0);
	call_table_add(&b, "write", 1000, 0, 0);
	call_table_add(&a, "mmap", 20, 0, 0);       /* unchanged */
	call_table_add(&b, "mmap", 20, 0, 0);
	call_table_add(&a, "access", 1, 1, 0);      /* only errors changed */
	call_table_add(&b, "access", 1, 0, 0);
	call_table_add(&a, "nanosleep", 5, 0, 0);   /* only in A */
	call_table_add(&b, "clone", 5, 0, 0);       /* only in B, same |delta| */
	call_table_add(&a, "brk", 9, 0, 0);         /* fewer in B */
	call_table_add(&b, "brk", 2, 0, 0);
	call_table_add(&a, "time", 0, 0, 7);        /* time alone is not a change */
	call_table_add(&b, "time", 0, 0, 9);

	rows = call_table_diff(&a, &b, &nr, &same);
	assert_int_equal(nr, 5);
	assert_int_equal(same, 2);
	assert_string_equal(rows[0].name, "write");
	assert_int_equal(rows[0].delta, 990);
	assert_string_equal(rows[1].name, "brk");
	assert_int_equal(rows[1].delta, -7);
	/* equal |delta|: by name */
	assert_string_equal(rows[2].name, "clone");
	assert_null(rows[2].a);
	assert_non_null(rows[2].b);
	assert_int_equal(rows[2].delta, 5);
	assert_string_equal(rows[3].name, "nanosleep");
	assert_non_null(rows[3].a);
	assert_null(rows[3].b);
	assert_int_equal(rows[3].delta, -5);
	assert_string_equal(rows[4].name, "access");
	assert_int_equal(rows[4].delta, 0);
	free(rows);

	/* Equal tables: nothing changed, and no unchanged counter is required. */
	rows = call_table_diff(&a, &a, &nr, NULL);
	assert_int_equal(nr, 0);
	free(rows);
	call_table_release(&a);
	call_table_release(&b);
}

static void test_diff_empty(void **state)
{
	struct call_table a, b;
	struct call_diff_row *rows;
	size_t nr, same;

	(void)state;
	call_table_init(&a);
	call_table_init(&b);
	rows = call_table_diff(&a, &b, &nr, &same);
	assert_int_equal(nr, 0);
	assert_int_equal(same, 0);
	free(rows);
	call_table_add(&b, "getppid@libc.so.6", 1000, 0, 0);
	rows = call_table_diff(&a, &b, &nr, &same);
	assert_int_equal(nr, 1);
	assert_int_equal(rows[0].delta, 1000);
	free(rows);
	call_table_release(&b);
}

/* Numbers from the x86_64 syscall ABI, which never changes. */
static void test_syscall_names(void **state)
{
	(void)state;
#if defined(__x86_64__)
	assert_string_equal(syscall_name(0), "read");
	assert_string_equal(syscall_name(1), "write");
	assert_string_equal(syscall_name(15), "rt_sigreturn");
	assert_string_equal(syscall_name(56), "clone");
	assert_string_equal(syscall_name(59), "execve");
	assert_string_equal(syscall_name(110), "getppid");
	assert_string_equal(syscall_name(231), "exit_group");
	assert_string_equal(syscall_name(435), "clone3");
	assert_null(syscall_name(-1));
	assert_null(syscall_name(100000));
	assert_null(syscall_name(335));   /* the hole between 334 and 424 */
	assert_int_equal(syscall_number("getppid"), 110);
	assert_int_equal(syscall_number("no_such_call"), -1);
	assert_true(syscall_table_size() > 435);
	/* Every name is distinct and maps back to its number. */
	for (size_t i = 0; i < syscall_table_size(); i++)
		if (syscall_name((long)i))
			assert_int_equal(syscall_number(syscall_name((long)i)), (long)i);
#else
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_find_merge),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_diff_empty),
		cmocka_unit_test(test_syscall_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
