#!/bin/sh
# install-deps.sh: the one place that knows which Debian packages steady
# needs. Installs the missing ones when run as root on Debian/Ubuntu;
# otherwise prints the exact command to run and fails.
#
#   scripts/install-deps.sh            build and test (make, make check, make demo);
#                                      valgrind is here for --metric valgrind-ir
#   scripts/install-deps.sh valgrind   (kept for make valgrind; now in the base set)
#   scripts/install-deps.sh bench      also hyperfine and perf (bench/ scripts)
#   scripts/install-deps.sh fuzz       also clang 14's libFuzzer runtime (make fuzz)
set -eu

# clang, lld, binutils (nm), patch and git: layout builds and their tests.
# man-db, groff-base and bsdextrautils (col): the man pages' test renders them
# with man --warnings; zsh: the zsh completion's test completes in a zsh.
packages="gcc make pkg-config libc6-dev libjansson-dev libgsl-dev libcmocka-dev zlib1g-dev valgrind clang lld binutils patch git"
packages="$packages man-db groff-base bsdextrautils zsh"
# libelf-dev and libdw-dev: steady profile's symbols (elfutils).
packages="$packages libelf-dev libdw-dev"
# llvm: llvm-profdata, which merges clang's profiles for PGO builds in sweep.
packages="$packages llvm"
# chromium: t0025-report renders steady report's HTML headless and checks the picture.
packages="$packages chromium"
# libsqlite3-dev, libpq-dev: steady history's stores; postgresql: its tests' throwaway server.
packages="$packages libsqlite3-dev libpq-dev postgresql"
for extra in "$@"; do
	case "$extra" in
	valgrind) ;;
	bench) packages="$packages hyperfine linux-perf" ;;
	fuzz) packages="$packages clang-14 libclang-rt-14-dev" ;;
	*) echo "install-deps.sh: unknown set '$extra' (valgrind, bench, fuzz)" >&2; exit 2 ;;
	esac
done

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "install-deps.sh: not a Debian system; install the equivalents of: $packages" >&2
	pkg-config --exists jansson gsl cmocka libelf libdw 2>/dev/null && exit 0
	exit 1
fi

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "steady needs these Debian packages:$missing" >&2
	echo "install them with: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# An install can fail on stale package lists; refresh them once and retry.
apt-get install -y -q $missing >/dev/null 2>&1 ||
	{ apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null; }
