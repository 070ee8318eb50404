#!/bin/sh
# The review meeting: a whole meeting run from the register (ratings, a
# comment, outcomes, both voices, the decision, the close and the
# carry-over) checked in the database; then a meeting cut off three
# times by the terminal going away (tmux killed), each time with the
# answers given so far saved, the caseload clean, and R resuming where
# the answers stop, carry-over included; then a meeting on a vt100
# without colour, resized to 60x20 and back mid-comment, with undo and
# leaving without closing; and R refused under --read-only.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 60

tui_fixture
Z=$TUI_UPN_ZOE
L=$TUI_UPN_LI
# field F (1-based) of row N of a pupil's CSV listing (after the heading)
tfield() {	# UPN ROW FIELD: senco target list (open cycle)
	sen target list "$1" --format csv | sed -n "$(($2 + 1))p" |
	    cut -d, -f"$3"
}
cfield() {	# UPN ROW FIELD: senco cycle list (newest first)
	sen cycle list "$1" --format csv | sed -n "$(($2 + 1))p" |
	    cut -d, -f"$3"
}
# A cycle's column by its start date (closed and open cycles alike).
cycle_sql() {	# UPN START COLUMN
	sqlite3 -readonly "$TUI_DB" "SELECT c.$3 FROM cycle c JOIN pupil p
	    ON p.id = c.pupil_id WHERE p.upn = '$1' AND c.plan_start = '$2'"
}
# Targets of a pupil's cycle by start date: "position|outcome|text".
targets_sql() {	# UPN START
	sqlite3 -readonly "$TUI_DB" "SELECT t.position, coalesce(t.outcome,
	    ''), t.text FROM target t JOIN cycle c ON c.id = t.cycle_id
	    JOIN pupil p ON p.id = c.pupil_id WHERE p.upn = '$1'
	    AND c.plan_start = '$2' ORDER BY t.position"
}
# Wait (up to 3 s) for senco, pid $1, to be gone.
gone() {
	_g=0
	while [ $_g -lt 30 ] && kill -0 "$1" 2>/dev/null; do
		sleep 0.1
		_g=$((_g + 1))
	done
	! kill -0 "$1" 2>/dev/null
}
# The terminal goes away under senco: the tmux server is killed.
drop() {
	_pid=$TUI_PID
	tmx kill-server >/dev/null 2>&1
	gone "$_pid"
}

# --- a whole meeting, from the register ---------------------------------
tui_start
tui_wait "Next review"
tui_keys / ; tui_type "Zoë"; tui_keys Enter
tui_wait "Brown, Zoë"
tui_keys R
check "R on the register opens the review meeting" \
    tui_wait "Review meeting · Brown, Zoë · target 1 of 2"
check "the target is shown with its criteria" \
    tui_wait "Reads 18 of 20 in a check"
check "the outcome keys are on the screen" \
    tui_wait "a achieved   p partially achieved   n not achieved"

tui_keys 3
check "3 rates the target" tui_wait "target 1 rated 3 secure (saved"
check "the rating is in the database at once" test "$(tfield $Z 1 6)" = 3
tui_keys c ; tui_type "Reads them to Mum at bedtime"; tui_keys Enter
check "c adds a comment" tui_wait "comment added to target 1"
check "the comment is in the database" sh -c "'$SENCO' --db '$TUI_DB' \
    target history $Z 1 | grep -q 'Reads them to Mum at bedtime'"
tui_keys p
check "p gives the outcome and moves on" tui_wait "target 2 of 2"
check "the outcome is in the database" test "$(tfield $Z 1 10)" = partial
tui_keys a
check "the last outcome leads to the parent voice" tui_wait "[Parent voice]"
check "the second outcome is in the database" \
    test "$(tfield $Z 2 10)" = achieved

tui_type "Mum says Zoë reads at bedtime now."
tui_keys Enter ; tui_type "Dad would like a reading list."
tui_keys Tab
check "Tab saves the parent voice and goes on" tui_wait "[Pupil voice]"
check "the parent voice is in the database, both lines" test \
    "$(cycle_sql $Z 2026-01-05 parent_voice)" = \
    "$(printf 'Mum says Zoë reads at bedtime now.\nDad would like a reading list.')"
tui_type "I like the help card."
tui_keys C-s
check "Ctrl-S saves the pupil voice and goes on" tui_wait "[Decision]"
check "the pupil voice is in the database" \
    test "$(cycle_sql $Z 2026-01-05 pupil_voice)" = "I like the help card."
check "the decision step shows the new review date" \
    tui_wait "continue: a new cycle begins, review on 02/06/2026"
check "the summary counts the outcomes" \
    tui_wait "1 achieved, 1 partially achieved"

tui_keys Enter
check "Enter without a decision says what to press" \
    tui_wait "choose a decision first: c, i, e or r"
tui_keys c
check "c chooses continue (not saved yet)" tui_wait "chosen: continue"
check "choosing writes nothing" test "$(cfield $Z 1 4)" = assess -a \
    "$(sen cycle list $Z --format csv | sed 1d | wc -l | tr -d ' ')" = 1
tui_keys Enter
check "Enter closes the cycle and offers the carry-over" \
    tui_wait "Carry each unmet target into the new cycle?"
check "the old cycle is closed with the decision" \
    test "$(cfield $Z 2 4),$(cfield $Z 2 5),$(cfield $Z 2 6)" = \
    "closed,2026-03-10,continue"
check "the new cycle starts today with the review one interval ahead" \
    test "$(cfield $Z 1 1),$(cfield $Z 1 3),$(cfield $Z 1 4)" = \
    "2026-03-10,2026-06-02,assess"
check "only the unmet target is offered" sh -c \
    "'$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p | grep -q '1 Read 20 common exception words (partially achieved)' &&
    ! '$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p | grep -q 'Ask for help with'"
tui_keys y
check "y carries the target and finishes" tui_wait "1 target carried over."
check "the carried target is in the new cycle" \
    test "$(tfield $Z 1 2),$(tfield $Z 1 3)" = \
    "Read 20 common exception words,CL"
check "the old cycle keeps its outcomes" test "$(targets_sql $Z 2026-01-05)" = \
    "$(printf '1|partial|Read 20 common exception words\n2|achieved|Ask for help with the help card')"
tui_keys q
check "q goes back to the register" tui_wait "Next review"
tui_keys q
tui_exited
check "after the meeting the caseload passes senco check" sen check

# --- cut off, resumed, cut off again ------------------------------------
# 李 Wei's cycle (03/11/2025 - 02/02/2026, overdue) gets two targets
sen target add $L --text "Say two sentences at news time" \
    --criteria "4 news times out of 5" --area CI >/dev/null
sen target add $L --text "Join in a game at playtime" --area SEMH \
    >/dev/null
tui_start
tui_wait "Next review"
tui_keys : ; tui_type "goto $L"; tui_keys Enter
tui_wait "UPN $L"
tui_keys R
check "R on the pupil screen opens the meeting" \
    tui_wait "Review meeting · 李, Wei · target 1 of 2"
tui_keys 2 n
tui_wait "target 2 of 2"
tui_keys c ; tui_type "Played tag with Ava, half a sent"
tui_wait "half a sent"
check "the terminal goes away mid-comment: senco exits" drop
check "the rating given before the drop is saved" test "$(tfield $L 1 6)" = 2
check "the outcome given before the drop is saved" test "$(tfield $L 1 10)" = not
check "the comment being typed is saved too" sh -c "'$SENCO' --db \
    '$TUI_DB' target history $L 2 | grep -q 'Played tag with Ava, half a sent'"
check "after the drop the caseload passes senco check" sen check

tui_start
tui_wait "Next review"
tui_keys : ; tui_type "goto $L"; tui_keys Enter
tui_wait "UPN $L"
tui_keys R
check "R resumes at the first target without an outcome" \
    tui_wait "resuming the meeting: 1 of 2 targets have an outcome"
tui_keys d
tui_wait "[Parent voice]"
tui_type "Mum is pleased with the"
tui_wait "pleased with the"
drop
check "the voice being typed when the line dropped is saved" \
    test "$(cycle_sql $L 2025-11-03 parent_voice)" = "Mum is pleased with the"

tui_start
tui_wait "Next review"
tui_keys : ; tui_type "goto $L"; tui_keys Enter
tui_wait "UPN $L"
tui_keys R
check "R resumes at the voice, shown for editing" \
    tui_wait "Mum is pleased with the"
tui_keys End ; tui_type " news."; tui_keys Tab
tui_wait "[Pupil voice]"
tui_type "Tag is fun."
tui_keys Tab i Enter
check "increase support closes the cycle" \
    tui_wait "Carry each unmet target into the new cycle?"
drop
check "the close was saved before the drop" \
    test "$(cfield $L 2 4),$(cfield $L 2 6)" = "closed,increase"

tui_start
tui_wait "Next review"
tui_keys : ; tui_type "goto $L"; tui_keys Enter
tui_wait "UPN $L"
tui_keys R
check "R finishes the carry-over of the review cut short" \
    tui_wait "Finishing the review. The cycle closed on 10/03/2026"
check "only the unmet, not discontinued, target is offered" sh -c \
    "'$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p | grep -q '1 Say two sentences at news time (not achieved)' &&
    ! '$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p | grep -q 'Join in a game'"
tui_keys y
tui_wait "1 target carried over."
check "the carried target is in the new cycle" \
    test "$(tfield $L 1 2)" = "Say two sentences at news time"
check "the voices of the closed cycle are kept" test \
    "$(cycle_sql $L 2025-11-03 parent_voice)|$(cycle_sql $L 2025-11-03 pupil_voice)" = \
    "Mum is pleased with the news.|Tag is fun."
tui_keys q q
tui_exited

# --- no colour, a small terminal, and leaving without closing -----------
# Zoë's new cycle holds the carried target: a meeting on it, on a vt100
tui_start NO_COLOR=1 TERM=vt100
tui_wait "Next review"
tui_keys : ; tui_type "goto $Z"; tui_keys Enter
tui_wait "UPN $Z"
tui_keys R
check "a new cycle's meeting starts at its own targets" \
    tui_wait "target 1 of 1"
tui_keys 1
tui_wait "target 1 rated 1"
tui_keys u
check "u takes back a rating given in the meeting" \
    tui_wait "undone: rating 1 of target 1 for Brown, Zoë"
check "the undone rating left the database" test -z "$(tfield $Z 1 6)"
tui_keys c ; tui_type "Typed before a resize"
tmx resize-window -x 60 -y 20
check "resized to 60x20 mid-comment: too small is said" \
    tui_wait "terminal too small"
tmx resize-window -x 80 -y 24
check "back to 80x24 the comment being typed is still there" \
    tui_wait "Typed before a resize"
tui_keys Escape
check "Esc drops the comment" tui_wait "no comment added"
tui_keys d
tui_wait "[Parent voice]"
# A voice longer than the box wraps between words, never inside one.
VOICE="Mum thinks the visual timetable helps enormously, afternoons remain hard, particularly transitions between lessons and the playground afterwards."
tui_type "$VOICE"
tui_wait "afterwards."
check "a long voice wraps at spaces: every word is whole on screen" sh -c "
    screen=\$('$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p)
    for w in $VOICE; do
	printf '%s\\n' \"\$screen\" | grep -q -F -- \"\$w\" || exit 1
    done"
tui_keys Tab Tab e
check "without colour the chosen decision is marked in text" \
    tui_wait "> e   request EHC needs assessment"
check "no colour is used" sh -c "! '$TMUX_BIN' -L '$TUI_SOCK' \
    capture-pane -p -e | grep -q -E '\[(3[0-7]|4[0-7])m|\[[0-9;]*;(3[0-7]|4[0-7])m'"
tui_keys q
check "q leaves the meeting, saying the answers are kept" \
    tui_wait "left the review meeting: every answer given is saved"
check "leaving does not close the cycle" test "$(cfield $Z 1 4)" = assess
check "the outcome given is kept" test "$(tfield $Z 1 10)" = discontinued
check "the dropped comment was not written" sh -c "! '$SENCO' --db \
    '$TUI_DB' target history $Z 1 | grep -q 'Typed before a resize'"
tui_keys q q
tui_exited

# --- read-only -----------------------------------------------------------
tui_start -- --read-only
tui_wait "Next review"
tui_keys : ; tui_type "goto $Z"; tui_keys Enter
tui_wait "UPN $Z"
tui_keys R
check "read-only: R says why there is no meeting" tui_wait "read-only"
check "read-only: no meeting opened" sh -c "! '$TMUX_BIN' -L '$TUI_SOCK' \
    capture-pane -p | grep -q 'Review meeting'"
tui_keys q q
tui_exited
check "in the end the caseload passes senco check" sen check
tui_done
