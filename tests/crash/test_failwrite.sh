#!/bin/sh
# test_failwrite.sh: a write that fails (an I/O error, a full disk) in the
# middle of a user action (issue 5). Each action is run by senco linked
# with a SQLite VFS that fails its Nth write, sync or truncate, for N = 1,
# 2, ... until the action completes without reaching N; after every
# failure the caseload must reopen cleanly, pass integrity_check and
# foreign_key_check, and hold the action whole or not at all, and senco
# must have said in one line what went wrong.
. "$SENCO_SRCDIR/tests/lib.sh"
. "$SENCO_SRCDIR/tests/crash/lib.sh"

# A caseload to act on: Zoë on SEN support with an open cycle, two targets
# and a rating.
BASE=$T/base.db
t_ok "init" --db "$BASE" init
t_ok "add a pupil" --db "$BASE" pupil add --upn "$UPN1" --surname Brown \
    --forename Zoë --dob 03/04/2016 --year 4 --status K --since 01/09/2025 \
    --need SLCN --need ASD
t_ok "start a cycle" --db "$BASE" cycle start "$UPN1" --start 01/12/2025
t_ok "add a target" --db "$BASE" target add "$UPN1" \
    --text "Reads ten tricky words" --area CL
t_ok "add a second target" --db "$BASE" target add "$UPN1" \
    --text "Asks for help with a card" --area SEMH
t_ok "rate the first" --db "$BASE" target rate "$UPN1" 1 2 --date 05/01/2026

# make check tries each action with some of the ways of failing, every
# write of each; SENCO_CRASH_FULL=1 tries every way for all of them.
MODES=once,full
failloop "pupil add with status and two needs" "$BASE" pupil add \
    --upn "$UPN2" --surname 李 --forename Wei --dob 2015-02-01 --year 5 \
    --status E --since 2025-06-01 --need SEMH --need SLCN
MODES=
failloop "cycle close that starts the next cycle and carries the targets" \
    "$BASE" cycle close "$UPN1" --decision continue --carry --date 2026-01-12
MODES=lasting
failloop "a status change (closes one status row, opens another)" \
    "$BASE" pupil edit "$UPN1" --status E --since 2026-01-10
MODES=full
failloop "a rating" "$BASE" target rate "$UPN1" 2 3 \
    --comment "Siobhán saw it twice"

echo "# $FAILED failed writes, $PARTIAL partial ($SAVED_ANYWAY failed" \
    "after the commit and were reported)"
finish
