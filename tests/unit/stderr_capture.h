/*
 * stderr_capture: for unit tests that check steady's one-line error
 * messages. stderr is redirected to a temporary file around one call so
 * the message can be checked; nothing may fail (and longjmp away) in
 * between. unit_fixture.h includes it; else include it after cmocka.h
 * and lib/util.h.
 */
#ifndef STEADY_TEST_STDERR_CAPTURE_H
#define STEADY_TEST_STDERR_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *captured;
static int saved_stderr = -1;

static inline void capture_start(void)
{
	fflush(stderr);
	captured = tmpfile();
	saved_stderr = dup(2);
	if (captured && saved_stderr >= 0)
		dup2(fileno(captured), 2);
}

/* What was written to stderr since capture_start(); the caller frees it. */
static inline char *capture_end(void)
{
	char *text;

	fflush(stderr);
	if (saved_stderr >= 0) {
		dup2(saved_stderr, 2);
		close(saved_stderr);
		saved_stderr = -1;
	}
	if (!captured)
		return xstrdup("(stderr not captured)");
	fflush(captured);
	text = xcalloc(4096, 1);
	rewind(captured);
	if (fread(text, 1, 4095, captured) == 0)
		text[0] = '\0';
	fclose(captured);
	captured = NULL;
	return text;
}

#define CAPTURE(ret, msg, call) \
	do { \
		capture_start(); \
		(ret) = (call); \
		(msg) = capture_end(); \
	} while (0)

/* Exactly one "steady: error: ..." line that contains want; frees msg. */
static inline void check_message(char *msg, const char *want)
{
	size_t len = strlen(msg);

	if (!strstr(msg, want))
		print_error("message: %s(expected to contain: %s)\n", msg, want);
	assert_non_null(strstr(msg, want));
	assert_int_equal(strncmp(msg, "steady: error: ", 15), 0);
	assert_true(len > 0 && msg[len - 1] == '\n');
	assert_ptr_equal(strchr(msg, '\n'), msg + len - 1);
	free(msg);
}

#endif
