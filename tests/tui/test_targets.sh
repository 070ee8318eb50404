#!/bin/sh
# The Targets pane: number keys rate at once (checked in the database),
# undo, a comment, a target added by form, a form cancelled (nothing
# written), discontinue, and a bad value refused on leaving a field.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 19

tui_fixture
U=$TUI_UPN_ZOE
# field F of target row N (1-based, after the heading) from the CLI
tfield() {
	sen target list $U --format csv | sed -n "$(($1 + 1))p" | cut -d, -f"$2"
}
ntargets() {
	sen target list $U --format csv | sed 1d | wc -l | tr -d ' '
}

tui_start
tui_wait "Next review"
tui_keys / ; tui_type "Zoë"; tui_keys Enter Enter
check "Enter opens Zoë on the Targets pane" tui_wait "Read 20 common exception words"

tui_keys 3
check "3 rates the target at once" tui_wait "rated 3 secure"
check "the rating is in the database" test "$(tfield 1 6)" = 3
check "the row redraws with the new rating" tui_wait "3 secure "

tui_keys j 2
check "j then 2 rates the second target" tui_wait "target 2 rated 2"
check "the second rating is in the database" test "$(tfield 2 6)" = 2
tui_keys u
check "u undoes the last rating" tui_wait "undone: rating 2 of target 2"
check "the undone rating left the database" test -z "$(tfield 2 6)"

tui_keys k c ; tui_type "Read them all to Mum"; tui_keys Enter
check "c adds a comment" tui_wait "comment added to target 1"
check "the comment is in the database" sh -c \
    "'$SENCO' --db '$TUI_DB' target history $U 1 | grep -q 'Read them all to Mum'"

tui_keys a
tui_wait "New target for Brown, Zoë"
# typed with a wide character and one too many, taken back with one
# Backspace: editing goes by character, not byte
tui_type "Write a sentence with a capital letter and a full stop, Zoë 李x"
tui_keys BSpace
tui_keys Tab ; tui_type "3 of 4 sentences in a week"
tui_keys C-s
check "a form adds a target" tui_wait "target 3 added"
check "the new target is in the database, edited by character" test \
    "$(sen target list $U --format csv | sed -n 4p | cut -d'"' -f2)" = \
    "Write a sentence with a capital letter and a full stop, Zoë 李"
check "the new target is on the screen" tui_wait "Write a sentence with"

tui_keys a
tui_wait "New target for Brown, Zoë"
tui_type "Never to be saved"
tui_keys Escape
check "Esc cancels the form" tui_wait "cancelled: nothing was saved"
check "a cancelled form writes nothing" test "$(ntargets)" = 3
check "the cancelled text is not in the database" sh -c \
    "! '$SENCO' --db '$TUI_DB' target list $U --format csv | grep -q 'Never to be'"

tui_keys G x
check "x discontinues the target" tui_wait "target 3 discontinued"
check "the outcome is in the database" test "$(sen target list $U \
    --format csv | sed -n 4p | awk -F, '{print $NF}')" = discontinued

# a bad date is refused when leaving the field, and the form stays
tui_keys BTab e
tui_wait "Cycle for Brown, Zoë"
tui_keys C-u ; tui_type "31/02/2026"; tui_keys Tab
tui_wait "31/02/2026'"
check "a bad date is refused on leaving the field" sh -c \
    "'$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p | sed -n 23p | grep -q '^Plan start: .*31/02/2026'"
tui_keys Escape
tui_done
