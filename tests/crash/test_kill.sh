#!/bin/sh
# test_kill.sh: kill -9 a writer at random points, the way SQLite tests
# itself (issue 5). The writer performs many small transactions (add a
# pupil, start a cycle with its targets, rate targets, close a cycle and
# carry its targets, change a status) on one caseload and prints a line
# after each commit. After each kill the caseload is reopened and checked:
# every acknowledged change is there, no action is there in part, and
# integrity_check, foreign_key_check and `senco check` pass.
#
#   SENCO_CRASH_N     how many writers to kill (default 50; 20 quick)
#   SENCO_CRASH_SEED  replay a run (the seed is printed)
. "$SENCO_SRCDIR/tests/lib.sh"
. "$SENCO_SRCDIR/tests/crash/lib.sh"

N=50
[ "$QUICK" = 1 ] && N=20
N=${SENCO_CRASH_N:-$N}
DB=$T/kill/caseload.db
ACKS=$T/acks
ALL=$T/all-acks
mkdir -p "$T/kill"
: >"$ALL"

unmade="before the schema was made"
# What a freshly migrated caseload looks like.
"$WRITER" run "$T/ref.db" 1 0 ||
    echo "Bail out! the writer cannot make a caseload"
# shellcheck disable=SC2046 # its words
set -- $(state "$T/ref.db")
SCHEMA_VERSION=$2 SCHEMA_SIZE=$4 CLEAN="integrity ok fk 0"
# How long the writer takes to start and open a caseload here: the kills
# land that much later (a sanitizer build, a busy machine).
t0=$(now_ms)
"$WRITER" run "$T/ref.db" 1 0
OPEN_MS=$(($(now_ms) - t0))
echo "# the writer starts and opens a caseload in $OPEN_MS ms"

killed=0 lost=0 partial=0 early=0 unborn=0 i=1
while [ "$i" -le "$N" ]; do
	# Every ten kills a fresh caseload, so the checks stay quick. In
	# every other one the first writer has to create and migrate the
	# file; in the others the file is made before.
	if [ $((i % 10)) -eq 1 ]; then
		cat "$ACKS" >>"$ALL" 2>/dev/null
		rm -f "$DB" "$DB-wal" "$DB-shm"
		: >"$ACKS"
		[ $((i % 20)) -eq 11 ] && "$WRITER" run "$DB" 0 0
	fi
	# One kill in five comes while the writer starts: it opens the
	# file, recovers the WAL or migrates it.
	if [ $((i % 5)) -eq 1 ]; then
		ms=$(rand_ms "$i" 0 $((OPEN_MS + 15)))
	else
		ms=$(rand_ms "$i" 2 $((OPEN_MS + 150)))
	fi
	before=$(wc -l <"$ACKS")
	"$WRITER" run "$DB" $((SEED + i)) >>"$ACKS" 2>"$T/writer.err" &
	pid=$!
	ms_sleep "$ms"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	st=$?
	acked=$(($(wc -l <"$ACKS") - before))
	[ "$acked" -eq 0 ] && early=$((early + 1))
	if [ "$st" -ne 137 ]; then
		fail "writer $i killed after $ms ms" \
		    "the writer ended by itself (status $st) before the kill"
		_diag "$T/writer.err"
		i=$((i + 1))
		continue
	fi
	killed=$((killed + 1))
	if [ ! -s "$ACKS" ]; then
		# Until a writer on a fresh file has acknowledged something,
		# it may have died before the file was there or while it was
		# migrated: then nothing may be half-made.
		now=$(state "$DB")
		case $now in
		nofile|"version 0 schema 0 integrity ok fk 0")
			if [ "$acked" -eq 0 ]; then
				unborn=$((unborn + 1))
				pass "writer $i killed after $ms ms, $unmade: $now"
				i=$((i + 1))
				continue
			fi ;;
		"version $SCHEMA_VERSION schema $SCHEMA_SIZE "*"$CLEAN") ;;
		*)	fail "writer $i killed after $ms ms on a fresh file" \
			    "the file is left as: $now"
			i=$((i + 1))
			continue ;;
		esac
	fi
	"$WRITER" verify "$DB" "$ACKS" >"$T/verify" 2>&1
	vst=$?
	summary=$(tail -n 1 "$T/verify")
	l=$(echo "$summary" | sed -n 's/.* lost \([0-9]*\).*/\1/p')
	p=$(echo "$summary" | sed -n 's/.* partial \([0-9]*\).*/\1/p')
	lost=$((lost + ${l:-1}))
	partial=$((partial + ${p:-1}))
	run --db "$DB" check
	if [ "$vst" -eq 0 ] && [ "$RC" -eq 0 ]; then
		pass "writer $i killed after $ms ms ($acked acknowledged)"
	else
		fail "writer $i killed after $ms ms ($acked acknowledged)" \
		    "verify exited $vst, senco check $RC"
		_diag "$T/verify"
		_diag "$OUT"
		_diag "$ERR"
	fi
	i=$((i + 1))
done

cat "$ACKS" >>"$ALL"
t_check "the writers acknowledged changes before being killed" \
    test "$(wc -l <"$ALL")" -gt 0
echo "# $killed killed writers, $lost lost, $partial partial" \
    "($(wc -l <"$ALL") acknowledged actions; $early kills before" \
    "the first commit, $unborn before the schema was made)"
finish
