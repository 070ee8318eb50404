#!/bin/sh
# The dashboard and the provision map on the fixture caseload (today
# 10/03/2026), with figures worked out by hand:
#   roll 6: K 5, E 1; needs SLCN 2, ASD, SPLD, MLD, SEMH (CI 3, CL 2,
#   SEMH 1); 李 Wei's review 02/02/2026 is 36 days overdue, Zoë's
#   (30/03) is 20 days off; Zoë's two targets need 3 today: one rated 3,
#   one not rated, so half on track but not all (1 pupil to judge; 李
#   has a cycle without targets);
#   One-to-one support £40/hour: Łukasz 10 x 60' alone = £15,600 a year
#   (over the £6,000 threshold); Speech group £20/session: Zoë 2 x 30' in
#   a group of 2 = £780 a year, Tom Adams finished 80 -> 88 (impact +8).
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 30

tui_fixture
{
	sen target rate $TUI_UPN_ZOE 1 3 &&
	sen intervention add --name "One-to-one support" \
	    --cost-per-hour 40 &&
	sen intervention add --name "Speech group" --cost-per-session 20 \
	    --area CI &&
	sen intervention enrol $TUI_UPN_LUKASZ "One-to-one support" \
	    --start 2026-01-05 --sessions 10 --minutes 60 --staff "Ms Ade" &&
	sen intervention enrol $TUI_UPN_ZOE "Speech group" --start 2026-01-05 \
	    --sessions 2 --minutes 30 --group 2 --staff "Mr Lee" &&
	sen intervention enrol $TUI_UPN_ADAMS "Speech group" \
	    --start 2025-09-01 --sessions 2 --minutes 30 --group 2 \
	    --entry 80 --staff "Mr Lee" &&
	sen intervention exit $TUI_UPN_ADAMS "Speech group" --score 88 \
	    --date 2025-12-01
} >/dev/null 2>"$TUI_DIR/setup.err" ||
    { echo "Bail out! setup: $(cat "$TUI_DIR/setup.err")"; exit 1; }

# the line of the screen holding TEXT, squeezed to single spaces
line_of() {
	tui_screen | grep -F -- "$1" | head -1 | tr -s ' '
}
# the last N words of that line
last_of() {
	line_of "$1" | awk -v n="$2" '{ s = ""; for (i = NF - n + 1; i <= NF;
	    i++) s = s (s == "" ? "" : " ") $i; print s }'
}

tui_start
tui_wait "Next review"
tui_keys D
check "D opens the dashboard" tui_wait "Dashboard · 10/03/2026"
check "reviews: one overdue, none due in two weeks" \
    tui_wait "Reviews: 1 overdue, 0 due in the next 14 days"
check "the overdue review names the pupil and the days, in words" \
    tui_wait "OVERDUE by 36 days 02/02/2026  李, Wei  Year 3 K SLCN"
check "Zoë's review, 20 days off, is not listed" sh -c \
    "! '$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p | grep -q 'Brown, Zoë'"
check "one pupil has targets to judge" \
    tui_wait "Targets on track: 1 pupil with targets to judge"
check "all on track: 0, 0%, below the 70% aim" test \
    "$(last_of 'all on track' 5)" = "0 0% aim 70%: below"
check "half or more: 1, 100%, the 90% aim met" test \
    "$(last_of 'half or more' 5)" = "1 100% aim 90%: met"
check "the half bar is drawn in block characters" sh -c \
    "'$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p | grep 'half or more' | grep -q '█'"
check "the pupil with a cycle but no targets is counted apart" \
    tui_wait "and 1 pupil with an open cycle but no targets yet"
check "status counts: 6 on roll" tui_wait "SEN status: 6 pupils on roll"
check "K: 5, 83%" test "$(last_of 'K SEN support' 2)" = "5 83%"
check "E: 1, 17%" test "$(last_of 'E EHC plan' 2)" = "1 17%"
check "N: 0, and no bar" test "$(line_of 'N no SEN')" = " N no SEN 0 0%"
check "the broad areas: 6 pupils" tui_wait "Broad area of primary need: 6"
check "communication and interaction: 3, 50%" \
    test "$(last_of 'Communication and interaction' 2)" = "3 50%"
check "cognition and learning: 2, 33%" \
    test "$(last_of 'Cognition and learning' 2)" = "2 33%"
tui_keys PgDn
check "PgDn shows the needs: SLCN, the primary need of two: 2, 33%" \
    test "$(last_of 'SLCN Speech' 2)" = "2 33%"
tui_keys G
check "one pupil over the top-up threshold" \
    tui_wait "over the top-up threshold (£6,000 a year): 1 pupil"
check "the pupil and the yearly cost are named" \
    tui_wait "£15,600 a year  Nowak, Łukasz  Year 4 E ASD"
tui_keys Enter
check "Enter on the top-up line opens the pupil" tui_wait "UPN $TUI_UPN_LUKASZ"
tui_keys q g Enter
check "Enter on the overdue review opens that pupil" tui_wait "UPN $TUI_UPN_LI"
tui_keys q

# --- the provision map -------------------------------------------------
tui_keys P
check "P on the dashboard opens the provision map" \
    tui_wait "Provision map · 2 interventions · 2 pupils · £16,380 a year"
check "one-to-one: 1 pupil, 10 sessions, 10 hours, £15,600" test \
    "$(line_of 'One-to-one support')" = \
    "One-to-one support - 1 10.0 10.0 £15,600 £15,600 -"
check "speech group: a shared session, £780 a pupil, impact +8" test \
    "$(line_of 'Speech group')" = \
    "Speech group CI 1 1.0 0.5 £780 £780 +8.0"
tui_keys j Enter
check "Enter lists the group" tui_wait "Provision map · Speech group"
check "the group shows the finished member with entry, exit, impact" test \
    "$(line_of 'Adams, Tom')" = "ended Adams, Tom Mr Lee 2x30' 01/09/2025 80 88 +8"
check "and the current one" test "$(line_of 'Brown, Zoë' | cut -d' ' -f1-4)" = \
    "now Brown, Zoë Mr"
tui_keys j Enter
check "Enter on a member opens the pupil" tui_wait "UPN $TUI_UPN_ZOE"
tui_keys q q D
check "D on the map goes back to the dashboard it came from" \
    tui_wait "Dashboard · 10/03/2026"
tui_keys q
check "q on the dashboard goes back to the register" tui_wait "Next review"
tui_keys q
tui_exited
tui_done
