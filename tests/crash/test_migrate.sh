#!/bin/sh
# test_migrate.sh: a schema migration that fails or is killed half-way
# leaves the old schema, usable (issue 5). Migrations run in one
# transaction inside db_open(); these tests make sure of it for
#   - a new empty file (migrated from 0 by any command),
#   - `senco init` (create, migrate, seed the catalogue),
#   - a caseload at the previous schema version (made by running the
#     earlier migrations), upgraded by an ordinary command,
# with every write failing in turn (as test_failwrite.sh), and with kill -9
# at random moments during the upgrade.
. "$SENCO_SRCDIR/tests/lib.sh"
. "$SENCO_SRCDIR/tests/crash/lib.sh"

# A retry after a failure must work: the file is left usable (checked
# at every 8th failure that left the file as it was; SENCO_CRASH_FULL=1:
# at every one, for every way of failing).
RETRY=8

EMPTY=$T/empty.db
: >"$EMPTY"
MODES=once
failloop "an empty file migrated by 'pupil list'" "$EMPTY" pupil list --all

# init: a failed init may leave an empty file behind (harmless: any
# command migrates it), so the retry is checked once, below.
RETRY=0 MODES=full STEP=5
failloop "senco init with an intervention catalogue" - \
    --config "$SENCO_SRCDIR/share/senco.conf" init
RETRY=8 STEP=1
rm -f "$T/init.db"
SENCO_FAILVFS_AT=1 "$SENCOFW" --db "$T/init.db" init >/dev/null 2>&1
no_schema() {
	case $(state "$1") in
	nofile|"version 0 schema 0 "*) return 0 ;;
	esac
	return 1
}
t_check "a failed init leaves no schema behind" no_schema "$T/init.db"
t_check "a failed init leaves no file behind (db_open_ex removes it)" \
    test ! -e "$T/init.db"
t_ok "senco init works again after an init that failed" \
    --db "$T/init.db" init

OLD=$T/old.db
"$WRITER" make-old "$OLD" 2>"$T/make-old.err"
case $? in
0)	MODES=once
	failloop "a caseload at the previous version upgraded by 'pupil list'" \
	    "$OLD" pupil list --all ;;
3)	skip "a caseload at the previous schema version upgraded" \
	    "this senco has only one schema version" ;;
*)	fail "make a caseload at the previous schema version"
	_diag "$T/make-old.err" ;;
esac

# --- kill -9 during the upgrade ----------------------------------------------
N=10
[ "$QUICK" = 1 ] && N=4
N=${SENCO_CRASH_N:-$N}
for base in "$EMPTY" "$OLD"; do
	[ -s "$base" ] || [ "$base" = "$EMPTY" ] || continue
	W=$T/kill.db
	rm -f "$W" "$W-wal" "$W-shm"
	cp "$base" "$W"
	before=$(state "$W")
	t0=$(now_ms)
	run --db "$W" pupil list --all
	took=$(($(now_ms) - t0))
	after=$(state "$W")
	killed=0 upgraded=0 bad=0 i=1
	while [ "$i" -le "$N" ]; do
		rm -f "$W" "$W-wal" "$W-shm"
		cp "$base" "$W"
		# Somewhere in the time a whole upgrade takes.
		ms=$(rand_ms "$i" 0 "$took")
		"$SENCO" --db "$W" pupil list --all >/dev/null 2>&1 &
		pid=$!
		ms_sleep "$ms"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid"
		[ $? -eq 137 ] && killed=$((killed + 1))
		now=$(state "$W")
		if [ "$now" = "$after" ]; then
			upgraded=$((upgraded + 1))
		elif [ "$now" != "$before" ]; then
			bad=$((bad + 1))
			echo "# after $ms ms: $now" >&2
		fi
		# Whatever the moment, the next senco opens it.
		run --db "$W" pupil list --all
		if [ "$RC" -ne 0 ] || [ "$(state "$W")" != "$after" ]; then
			bad=$((bad + 1))
			echo "# after $ms ms the retry failed:" \
			    "$(cat "$ERR")" >&2
		fi
		i=$((i + 1))
	done
	ok=", each left whole or as before and reopened"
	what="a new empty file"
	[ "$base" = "$OLD" ] && what="a previous-version caseload"
	if [ "$bad" -eq 0 ]; then
		pass "$what: $killed upgrades killed ($upgraded had finished)$ok"
	else
		fail "$what: $bad problems in $killed killed upgrades" \
		    "before: $before" "after:  $after"
	fi
done

echo "# $FAILED failed writes during migrations, $PARTIAL partial"
finish
