/*
 * words: splits a command string into argv words the way a POSIX shell
 * would quote them — but never runs a shell. Single quotes keep everything
 * literal, double quotes allow \" \\ \$ \` escapes, a backslash outside
 * quotes escapes the next character. Unquoted shell operators (| & ; < > and
 * friends) and expansions ($VAR, `cmd`, globs) are not interpreted: such a
 * word is refused with a hint to use --shell, because silently passing '|' to
 * a program as an argument is never what the user meant.
 *
 * Ownership: on success *argv is a new NULL-terminated array of new strings;
 * free it with words_free().
 */
#ifndef STEADY_WORDS_H
#define STEADY_WORDS_H

#include <stddef.h>

/* 0 on success; -1 after printing one error line naming the string. */
int words_split(const char *s, char ***argv, size_t *argc);
void words_free(char **argv);
/*
 * The argv of one side of `cache`/`trace`: spec is a program (kept whole,
 * also when it names an existing file with spaces) or a command string
 * (split), followed by the nargs shared args. NULL after one error line
 * naming label; *argc gets the count.
 */
char **words_command(const char *spec, char *const *args, size_t nargs,
		     char label, size_t *argc);
/* Joins argv into one display string, quoting words that need it. */
char *words_join(char *const *argv, size_t argc);

#endif
