#!/usr/bin/env bash
# steady history and --save (docs/history.md): results recorded by
# revision and machine, read back as series, the step found where it is,
# --fail-if-regressed for CI; saving from two processes at once loses
# nothing; a store that is damaged or not steady's is one error line and
# is left as it was.
#
# Every store test runs twice: against an SQLite file, and against a
# throwaway PostgreSQL 15 cluster this script starts itself (initdb and
# pg_ctl as the unprivileged user nobody, in a temporary directory,
# listening only on a Unix socket there), stopped and removed at the end
# whatever happens. Where that server cannot start, its tests are one
# skipped line saying why.
#
# Known steps come from `steady-helper work N` counted with --metric
# valgrind-ir --no-randomize: the same count on every run, 10% more for
# work 1100000 than for work 1000000 (9.9% more instructions in all).
. "$(dirname "$0")/lib.sh"

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=
PG_WHY=
FIGURES=$TEST_DIR/figures

# as_pg CMD...: CMD as the unprivileged user nobody when we are root
# (PostgreSQL refuses to run as root), as ourselves otherwise.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}

pg_stop() {
	[ -n "$PG_DIR" ] || return 0
	if [ -f "$PG_DIR/data/postmaster.pid" ]; then
		as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
	fi
	rm -rf "$PG_DIR"
	PG_DIR=
}
trap 'pg_stop; rm -rf "$TEST_DIR"' EXIT
trap 'exit 130' INT TERM HUP

# pg_start: the cluster, or 1 with the reason in PG_WHY.
pg_start() {
	if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
		PG_WHY="no $PG_BIN/initdb (Debian's postgresql package)"
		return 1
	fi
	if [ "$(id -u)" = 0 ] && ! command -v runuser >/dev/null; then
		PG_WHY="running as root without runuser to drop to nobody"
		return 1
	fi
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/steady-pg.XXXXXX") || return 1
	[ "$(id -u)" = 0 ] && chown nobody "$PG_DIR"
	if ! as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U steady --no-sync \
		>"$PG_DIR/initdb.log" 2>&1; then
		PG_WHY="initdb failed: $(tail -n 1 "$PG_DIR/initdb.log")"
		return 1
	fi
	if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
		-o "-k $PG_DIR -c listen_addresses= -c fsync=off" start >/dev/null 2>&1; then
		PG_WHY="the server did not start: $(tail -n 1 "$PG_DIR/server.log" 2>/dev/null)"
		return 1
	fi
}

# pg_db NAME: a new database NAME; its URL on stdout.
pg_db() {
	as_pg "$PG_BIN/createdb" -h "$PG_DIR" -U steady "$1" >/dev/null || return 1
	echo "postgresql:///$1?host=$PG_DIR&user=steady"
}

# saves NAME DB: how many saves of NAME the store holds (history list).
saves() {
	steady history list --db "$2" | awk -v n="$1" '$1 == n { print $2 }'
}

# step_series DB: r1..r6 of work 1000000, then r7..r10 of work 1100000.
step_series() {
	local i w
	for i in 1 2 3 4 5 6 7 8 9 10; do
		w=1000000
		[ $i -ge 7 ] && w=1100000
		steady run -n 3 --no-randomize --metric valgrind-ir --name step \
			--save --db "$1" --rev r$i -- "$HELPER" work $w >/dev/null 2>&1 || return 1
	done
}

# fresh_sqlite NAME: a store file that does not exist yet.
fresh_sqlite() {
	echo "$TEST_DIR/$1.db"
}

# fresh_pg NAME: a new, empty database NAME (no tables yet); its URL.
fresh_pg() {
	pg_db "$1"
}

# The tests of one store: KIND (for titles), then the URL or file of an
# empty store in DB (the tests use different benchmark names), and FRESH,
# the function that makes another store nobody has opened yet.
store_tests() {
	KIND=$1
	DB=$2
	FRESH=$3

	test_expect_success "$KIND: run --save records one save per benchmark, show and list read it" '
		steady run -n 3 --name one --save --db "$DB" --rev v1 -- "$HELPER" sleep 1 2>err &&
		grep "saved 1 benchmark to history .* as revision v1" err &&
		test "$(saves one "$DB")" = 1 &&
		steady history show one --db "$DB" >out &&
		grep -E "^  [0-9T:-]+Z +v1 +run +wall +3 " out
	'

	test_expect_success "$KIND: compare --save records both commands of a live comparison" '
		steady compare -n 4 --save --db "$DB" --rev c1 -- "$HELPER sleep 1" "$HELPER sleep 2" \
			>/dev/null 2>err &&
		grep "saved 2 benchmarks" err &&
		steady history list --db "$DB" >out &&
		test_count_is 2 grep -E "sleep [12] +1 +1 +1 " out
	'

	test_expect_success "$KIND: stat --save and layout --save (env perturbation: no builds) record theirs" '
		steady stat -n 3 -e task-clock --save --db "$DB" --rev s1 \
			-- "$HELPER" sleep 3 >/dev/null 2>err &&
		grep "saved 1 benchmark" err &&
		steady history show "$HELPER sleep 3" --db "$DB" >out && grep " s1 " out &&
		steady layout --perturb env --variants 2 -n 3 --save --db "$DB" --rev l1 \
			-- "$HELPER sleep 1" "$HELPER sleep 2" >/dev/null 2>err &&
		grep "saved [0-9]* benchmarks" err &&
		steady history show "A default" --db "$DB" >out && grep " l1 " out &&
		steady history show "B default" --db "$DB" >out && grep " l1 " out
	'

	test_expect_success "$KIND: the same revision saved twice is one point with both saves runs" '
		steady run -n 3 --name twice --save --db "$DB" --rev t1 -- "$HELPER" sleep 1 2>/dev/null &&
		steady run -n 4 --name twice --save --db "$DB" --rev t1 -- "$HELPER" sleep 1 2>/dev/null &&
		steady history trend twice --db "$DB" >out &&
		grep -E "^  t1 +[0-9T:-]+Z +7 " out
	'

	if ! command -v valgrind >/dev/null; then
		test_skip "$KIND: trend finds the step at r7, a flat series has none (valgrind-ir)" \
			"valgrind is not installed"
	else
		test_expect_success "$KIND: trend finds the step at r7, and --fail-if-regressed names it" '
			step_series "$DB" &&
			steady history trend step --db "$DB" >out &&
			cat out &&
			test_count_is 1 grep "step at" out &&
			grep -E "step at r7: \+9\.9% .*SLOWER" out &&
			test_expect_code 1 steady history trend step --db "$DB" --fail-if-regressed 5 \
				>/dev/null 2>err &&
			cat err &&
			test_count_is 1 cat err &&
			grep "revision r7 raised valgrind-ir by 9.9%" err &&
			steady history trend step --db "$DB" --fail-if-regressed 20 >/dev/null
		'
		test_expect_success "$KIND: a flat series has no step, --fail-if-regressed passes" '
			for r in f1 f2 f3 f4; do
				steady run -n 3 --no-randomize --metric valgrind-ir --name flat \
					--save --db "$DB" --rev $r -- "$HELPER" work 1000000 \
					>/dev/null 2>&1 || return 1
			done &&
			steady history trend flat --db "$DB" --fail-if-regressed 1 >out &&
			grep "no step beyond the 1% margin" out
		'
	fi

	if ! command -v unshare >/dev/null || [ "$(id -u)" != 0 ]; then
		test_skip "$KIND: two machines are two series" "needs root and unshare --uts to be another host"
	else
		test_expect_success "$KIND: two machines are two series, never one" '
			steady run -n 3 --name hosts --save --db "$DB" --rev h1 -- "$HELPER" sleep 1 2>/dev/null &&
			unshare --uts sh -c "hostname steady-other-host && \"$STEADY\" run -n 3 --name hosts --save --db \"$DB\" --rev h2 -- \"$HELPER\" sleep 1" 2>/dev/null &&
			steady history trend hosts --db "$DB" >out &&
			grep "2 machines" out &&
			grep "^steady-other-host: " out &&
			test_count_is 2 grep -E "^  h[12] " out
		'
	fi

	test_expect_success "$KIND: two processes saving at once lose nothing" '
		P=2 N=40
		start=$(date +%s%N)
		for p in $(seq $P); do
			(for i in $(seq $N); do
				"$STEADY" run -n 1 --name concurrent --save --db "$DB" --rev p$p-$i \
					-- "$HELPER" sleep 0 >/dev/null 2>>err.$p || echo "save $p-$i failed"
			done) >fails.$p &
		done
		wait
		end=$(date +%s%N)
		# a save that failed says so (an error line, or "failed" from the loop);
		# a warning of a loaded machine is no lost save
		cat err.* fails.* | grep -E "error|failed" && return 1
		rows=$(saves concurrent "$DB")
		echo "concurrency ($KIND): $P processes x $N saves, $rows rows found, $(( (end - start) / 1000000 )) ms" | tee -a "$FIGURES" &&
		test "$rows" = $((P * N))
	'

	# The first save to a store makes its schema: two savers that start
	# together against one nobody has opened race to create it. Both must
	# succeed, every row be found. Several rounds, each on a new store; the
	# savers wait on a FIFO, opened by both before either measures.
	test_expect_success "$KIND: two processes saving at once to a store not made yet lose nothing" '
		P=2 N=3 R=5
		for r in $(seq $R); do
			db=$($FRESH race$r) || return 1
			case $db in /*) test ! -e "$db" || return 1 ;; esac
			rm -f go && mkfifo go || return 1
			pids=
			for p in $(seq $P); do
				(: <go
				for i in $(seq $N); do
					"$STEADY" run -n 1 --name race --save --db "$db" --rev r$r-p$p-$i \
						-- "$HELPER" sleep 0 >/dev/null 2>>err.$r.$p || echo "save $r-$p-$i failed"
				done) >fails.$r.$p &
				pids="$pids $!"
			done
			exec 9>go && wait $pids; exec 9>&-
			cat err.$r.* fails.$r.* | grep -E "error|failed" && return 1
			rows=$(saves race "$db")
			echo "round $r: $rows rows"
			test "$rows" = $((P * N)) || return 1
		done
	'

	test_expect_success "$KIND: an unknown benchmark or metric is one error line, exit 2" '
		test_expect_code 2 steady history show nosuch --db "$DB" 2>err &&
		test_one_error_line err &&
		grep "no saved results named .nosuch." err &&
		test_expect_code 2 steady history trend one --metric instructions --db "$DB" 2>err &&
		test_one_error_line err &&
		grep "has no saved values of metric .instructions. (it has: .cpu., .maxrss., .sys., .user., .wall.)" err
	'
}

test_expect_success '--save without --rev outside git is one error line, before measuring' '
	test_expect_code 2 steady run -n 3 --save --db h.db -- "$HELPER" sleep 1 >out 2>err &&
	test_one_error_line err &&
	grep "needs --rev" err &&
	test ! -s out && test ! -e h.db
'

test_expect_success '--db and --rev without --save are refused' '
	test_expect_code 2 steady run -n 3 --db h.db -- "$HELPER" sleep 1 2>err &&
	test_one_error_line err && grep "\-\-db goes with --save" err &&
	test_expect_code 2 steady stat -n 3 --rev r1 -- "$HELPER" sleep 1 2>err &&
	test_one_error_line err && grep "\-\-rev goes with --save" err
'

test_expect_success 'compare of saved files with --save is refused' '
	steady run -n 3 -o a.json -- "$HELPER" sleep 1 2>/dev/null &&
	test_expect_code 2 steady compare --save --rev x a.json a.json 2>err &&
	test_one_error_line err
'

if ! command -v git >/dev/null; then
	test_skip 'the revision is the git commit, dirty when tracked files changed' 'git is not installed'
else
	test_expect_success 'the revision is the git commit, dirty when tracked files changed' '
		git init -q repo && cd repo &&
		echo a >f && git add f &&
		git -c user.name=t -c user.email=t@t commit -qm one &&
		head=$(git rev-parse HEAD) &&
		steady run -n 3 --name git --save --db ../h.db -- "$HELPER" sleep 1 2>err &&
		grep "as revision $head\$" err &&
		echo untracked >u &&
		steady run -n 3 --name git --save --db ../h.db -- "$HELPER" sleep 1 2>err &&
		grep "as revision $head\$" err &&
		echo b >f &&
		steady run -n 3 --name git --save --db ../h.db -- "$HELPER" sleep 1 2>err &&
		grep "as revision $head (dirty)" err &&
		steady history trend git --db ../h.db >out &&
		grep -E "^  ${head:0:12} " out &&
		grep -E "^  ${head:0:12}\+dirty " out
	'
fi

test_expect_success 'the default store is $XDG_DATA_HOME/steady/history.db, else ~/.local/share' '
	XDG_DATA_HOME=$PWD/xdg steady run -n 3 --name d --save --rev r1 -- "$HELPER" sleep 1 2>/dev/null &&
	test -s xdg/steady/history.db &&
	XDG_DATA_HOME=$PWD/xdg steady history list | grep "^d " &&
	(unset XDG_DATA_HOME; HOME=$PWD/home steady run -n 3 --name d --save --rev r1 \
		-- "$HELPER" sleep 1 2>/dev/null) &&
	test -s home/.local/share/steady/history.db
'

test_expect_success 'a missing store is one error line for history, and is not made' '
	test_expect_code 2 steady history list --db none.db 2>err &&
	test_one_error_line err && grep "no history database at .none.db." err &&
	test ! -e none.db
'

test_expect_success 'a file that is no database is one error line and is left as it was' '
	printf "precious notes\n" >notes.txt && cp notes.txt before &&
	test_expect_code 2 steady run -n 3 --save --db notes.txt --rev r1 -- "$HELPER" sleep 1 \
		>/dev/null 2>err &&
	test_one_error_line err && grep "not a steady history database" err &&
	test_expect_code 2 steady history list --db notes.txt 2>err &&
	test_one_error_line err &&
	test_cmp_files before notes.txt
'

test_expect_success 'a damaged store is one error line and is left as it was' '
	steady run -n 3 --name x --save --db good.db --rev r1 -- "$HELPER" sleep 1 2>/dev/null &&
	head -c 4096 good.db >bad.db && yes "damage" | head -c 12288 >>bad.db && cp bad.db before &&
	test_expect_code 2 steady run -n 3 --save --db bad.db --rev r1 -- "$HELPER" sleep 1 \
		>/dev/null 2>err &&
	test_one_error_line err && grep "not a steady history database, or is damaged" err &&
	test_cmp_files before bad.db
'

if ! command -v sqlite3 >/dev/null; then
	test_skip "another program's SQLite database, a newer schema: refused, untouched" "no sqlite3 program"
else
	test_expect_success "another program's SQLite database, a newer schema: refused, untouched" '
		sqlite3 other.db "CREATE TABLE accounts (id INTEGER, owner TEXT)" && cp other.db before &&
		test_expect_code 2 steady run -n 3 --save --db other.db --rev r1 -- "$HELPER" sleep 1 \
			>/dev/null 2>err &&
		test_one_error_line err && grep "not a steady history database (it holds other tables)" err &&
		test_cmp_files before other.db &&
		steady run -n 3 --name x --save --db new.db --rev r1 -- "$HELPER" sleep 1 2>/dev/null &&
		sqlite3 new.db "UPDATE steady_meta SET value = 99 WHERE key = '\''schema_version'\''" &&
		cp new.db before &&
		test_expect_code 2 steady history list --db new.db 2>err &&
		test_one_error_line err && grep "schema 99, newer than this steady knows (1)" err &&
		test_cmp_files before new.db
	'
fi

test_expect_success 'history: bad usage is one error line, exit 2' '
	test_expect_code 2 steady history 2>err && test_one_error_line err &&
	test_expect_code 2 steady history frobnicate 2>err && test_one_error_line err &&
	test_expect_code 2 steady history show 2>err && test_one_error_line err &&
	test_expect_code 2 steady history list --metric wall 2>err && test_one_error_line err &&
	test_expect_code 2 steady history trend x --fail-if-regressed lots 2>err && test_one_error_line err
'

store_tests sqlite "$TEST_DIR/store.db" fresh_sqlite

if pg_start; then
	store_tests postgresql "$(pg_db steady_history)" fresh_pg
	test_expect_success "postgresql: another program's tables: refused, untouched" '
		url=$(pg_db other) &&
		as_pg "$PG_BIN/psql" -q -h "$PG_DIR" -U steady -d other \
			-c "CREATE TABLE accounts (id integer)" &&
		test_expect_code 2 steady run -n 3 --save --db "$url" --rev r1 -- "$HELPER" sleep 1 \
			>/dev/null 2>err &&
		test_one_error_line err && grep "not a steady history database" err &&
		test "$(as_pg "$PG_BIN/psql" -qtA -h "$PG_DIR" -U steady -d other \
			-c "SELECT count(*) FROM information_schema.tables WHERE table_schema = '\''public'\''")" = 1
	'
	test_expect_success 'postgresql: a server that is not there is one error line' '
		test_expect_code 2 steady history list --db "postgresql:///x?host=$PWD&user=steady" 2>err &&
		test_one_error_line err && grep "cannot connect to the PostgreSQL" err
	'
else
	test_skip "postgresql: every history test" "$PG_WHY"
fi
pg_stop

[ -f "$FIGURES" ] && sed 's/^/# /' "$FIGURES"
test_done
