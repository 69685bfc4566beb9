# steady — build, test, demo and install.
#
#   make            build steady (development flags: warnings are errors)
#   make check      install missing Debian packages, build, run every test
#   make demo       install missing packages, build, benchmark examples/work, then
#                   the seed story: compare, layout and profile --annotate on
#                   examples/layout's dead-code twin
#   make sanitize   the same tests against an ASan+UBSan build
#   make valgrind   the same tests with steady itself run under valgrind
#   make fuzz       builds the libFuzzer targets of fuzz/ with clang and runs
#                   each for FUZZ_SECONDS (default 20), printing execs and
#                   coverage (scripts/fuzz.sh; fuzz/fuzz.h says more)
#   make readme-examples  runs README.md's examples again, their output put in it
#   make install PREFIX=/usr/local    (DESTDIR too) the binary, the audit library,
#                   the man pages and bash and zsh completion; make uninstall
#                   PREFIX=... removes exactly those files
#
# Layout: src/steady.c is the entry point and command table, src/cmd/ one
# file per command, every other folder of src/ a part of the library that
# the commands and the unit tests link (see README.md, "Layout").

CC      ?= cc
PREFIX  ?= /usr/local
BUILD   ?= build
OPT     ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-missing-field-initializers
PKGS    := jansson gsl zlib libelf libdw sqlite3 libpq
CPPFLAGS += -D_GNU_SOURCE -iquote src
CFLAGS  += $(OPT) $(WARN) $(SAN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

MAIN    := src/steady.c
CMD_SRC := $(wildcard src/cmd/*.c)
CMD_OBJ := $(CMD_SRC:src/%.c=$(BUILD)/%.o)
# The library: every module of src/<part>/ except the commands (the unit
# tests link it without them) and the audit library (its own .so).
LIB_SRC := $(filter-out $(CMD_SRC),$(wildcard src/*/*.c))
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
HEADERS := $(wildcard src/*/*.h)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HDR := $(wildcard tests/unit/*.h)
# fuzz/: one libFuzzer target per parser. make fuzz builds them with clang
# (FUZZ_BIN); every build also compiles them, entry point renamed, into the
# unit test that replays fuzz/regressions/ and fuzz/corpus/ (FUZZ_REPLAY).
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/bin/%)
FUZZ_REPLAY := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz-replay/%.o)
FUZZ_SECONDS ?= 20
FUZZ_CC ?= clang-14

STEADY  := $(BUILD)/steady
HELPER  := $(BUILD)/steady-helper
EXAMPLE := $(BUILD)/work
BARE    := $(BUILD)/bare-spawn
AUDIT   := $(BUILD)/libsteady-audit.so
HELPER_STATIC := $(BUILD)/steady-helper-static
TOOLCHAIN_DRIVER := $(BUILD)/toolchain-driver
# Completion is generated from the built steady's --help (scripts/completions.sh).
BASH_COMPLETION := $(BUILD)/completion/steady.bash
ZSH_COMPLETION  := $(BUILD)/completion/_steady
MAN_PAGES := $(wildcard man/*.1)

# Where make install puts things, and so what make uninstall removes.
BINDIR  := $(PREFIX)/bin
LIBDIR  := $(PREFIX)/lib/steady
MAN1DIR := $(PREFIX)/share/man/man1
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  := $(PREFIX)/share/zsh/site-functions

.PHONY: all check demo sanitize valgrind fuzz fuzz-build install uninstall clean deps test readme-examples

all: $(STEADY) $(AUDIT) $(HELPER) $(HELPER_STATIC) $(EXAMPLE) $(BARE) $(UNIT_BIN) \
     $(TOOLCHAIN_DRIVER) $(BASH_COMPLETION)

deps:
	@scripts/install-deps.sh

$(BUILD)/%.o: src/%.c $(HEADERS) | $(BUILD)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# Made anew each time: `ar r` keeps members that are no longer built (a
# module moved or renamed would still define its old symbols), and it
# knows members by file name alone, so two modules may not share one.
ifneq ($(words $(notdir $(LIB_OBJ))),$(words $(sort $(notdir $(LIB_OBJ)))))
$(error two library modules share a file name: $(sort $(notdir $(LIB_OBJ))))
endif
$(BUILD)/libsteady.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(STEADY): $(BUILD)/steady.o $(CMD_OBJ) $(BUILD)/libsteady.a
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The replay test links every target, each entry point named <target>_one.
$(BUILD)/fuzz-replay/%.o: fuzz/%.c fuzz/fuzz.h $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DLLVMFuzzerTestOneInput=$*_one -c $< -o $@
$(BUILD)/tests/test_fuzz_regressions: tests/unit/test_fuzz_regressions.c $(UNIT_HDR) \
		$(FUZZ_REPLAY) $(BUILD)/libsteady.a | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(FUZZ_REPLAY) $(BUILD)/libsteady.a $(CMOCKA_LIBS) $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_HDR) $(BUILD)/libsteady.a | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(BUILD)/libsteady.a $(CMOCKA_LIBS) $(LDLIBS) -o $@

# The shell tests' hook into src/toolchain/ (builds, flags, ELF reading):
# library code, so it gets the development flags and the sanitizer.
$(TOOLCHAIN_DRIVER): tests/helper/toolchain-driver.c $(HEADERS) $(BUILD)/libsteady.a | $(BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(BUILD)/libsteady.a $(LDLIBS) -o $@

# The LD_AUDIT library of `steady trace`, found beside the steady binary (or
# in $(PREFIX)/lib/steady once installed). It is loaded into the traced
# programs, so it never gets the sanitizer: their runtime would not load.
$(AUDIT): src/trace/audit/steady-audit.c | $(BUILD)
	$(CC) -D_GNU_SOURCE $(OPT) $(WARN) -fPIC -shared $< -o $@

# The helper and the example are benchmarked, not linted: plain -O2, no
# sanitizer, so sanitizer builds still measure ordinary processes.
$(HELPER): tests/helper/steady-helper.c | $(BUILD)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror $< -o $@
$(HELPER_STATIC): tests/helper/steady-helper.c | $(BUILD)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static $< -o $@
$(EXAMPLE): examples/work.c | $(BUILD)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror $< -o $@
$(BARE): bench/bare-spawn.c | $(BUILD)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror $< -o $@

# The bench/ programs that call steady's statistics: linked as the tests
# are, so a library the code gains is never missing from a bench script.
BENCH_PROGS := $(addprefix $(BUILD)/,calibration holm-family layout-coverage)
$(BENCH_PROGS): $(BUILD)/%: bench/%.c $(HEADERS) $(BUILD)/libsteady.a | $(BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(BUILD)/libsteady.a $(LDLIBS) -o $@

# Both files at once, from the binary they complete.
$(BASH_COMPLETION) $(ZSH_COMPLETION) &: $(STEADY) scripts/completions.sh
	@mkdir -p $(BUILD)/completion
	scripts/completions.sh $(STEADY) $(BUILD)/completion

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

test: all
	@STEADY=$(abspath $(STEADY)) HELPER=$(abspath $(HELPER)) \
	 TOOLCHAIN_DRIVER=$(abspath $(TOOLCHAIN_DRIVER)) \
	 UNIT_DIR=$(abspath $(BUILD)/tests) VALGRIND_STEADY=$(VALGRIND_STEADY) \
	 tests/run-tests.sh

check: deps
	@$(MAKE) --no-print-directory test

sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build/san OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' test

valgrind:
	@scripts/install-deps.sh valgrind
	@$(MAKE) --no-print-directory BUILD=build/vg OPT='-O0 -g' VALGRIND_STEADY=1 test

# The library built by clang with coverage for libFuzzer (fuzzer-no-link)
# and ASan+UBSan, into build/fuzz/; the targets linked with the fuzzer's
# main in build/fuzz/bin/. -Wno-shadow: clang also warns of a parameter
# named like a global (getopt's optarg), which gcc, the -Werror build, allows.
fuzz:
	@scripts/install-deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=$(FUZZ_CC) \
	  OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -Wno-shadow' \
	  fuzz-build
	@scripts/fuzz.sh build/fuzz $(FUZZ_SECONDS)

fuzz-build: $(FUZZ_BIN)

$(BUILD)/bin/%: fuzz/%.c fuzz/fuzz.h $(BUILD)/libsteady.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer $< $(BUILD)/libsteady.a $(LDLIBS) -o $@

demo: deps
	@$(MAKE) --no-print-directory $(STEADY) $(EXAMPLE)
	@scripts/demo.sh $(STEADY) $(EXAMPLE) $(BUILD)

# The commands in README.md call build/steady, build/work and build/steady-helper.
readme-examples: deps
	@$(MAKE) --no-print-directory BUILD=build build/steady build/work build/steady-helper
	@scripts/readme-examples.sh

install: $(STEADY) $(AUDIT) $(BASH_COMPLETION) $(ZSH_COMPLETION)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(MAN1DIR) \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(STEADY) $(DESTDIR)$(BINDIR)/steady
	install -m 644 $(AUDIT) $(DESTDIR)$(LIBDIR)/libsteady-audit.so
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(MAN1DIR)
	install -m 644 $(BASH_COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/steady
	install -m 644 $(ZSH_COMPLETION) $(DESTDIR)$(ZSHCOMPDIR)/_steady

# Exactly what install wrote; lib/steady goes too when that leaves it empty
# (it is steady's own), the shared directories stay.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/steady $(DESTDIR)$(LIBDIR)/libsteady-audit.so \
	  $(addprefix $(DESTDIR)$(MAN1DIR)/,$(notdir $(MAN_PAGES))) \
	  $(DESTDIR)$(BASHCOMPDIR)/steady $(DESTDIR)$(ZSHCOMPDIR)/_steady
	rmdir $(DESTDIR)$(LIBDIR) 2>/dev/null || true

clean:
	rm -rf build
