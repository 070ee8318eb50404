#!/bin/sh
# Forms and the other panes: a pupil added by form (a bad UPN refused on
# leaving the field), a cycle started and advanced from the Cycle pane
# and the advance undone, and a note added from the History pane; each
# checked in the database.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 16

tui_fixture
sen intervention add --name "Precision teaching" --cost-per-hour 18 \
    --area CL >/dev/null
tui_start
tui_wait "Next review"

# --- a pupil by form --------------------------------------------------------
tui_keys a
check "a on the register opens the pupil form" tui_wait "New pupil"
tui_type "B801200025007"; tui_keys Tab
check "a UPN with a wrong check letter is refused on leaving the field" \
    tui_wait "check letter: it should be F"
tui_keys C-u ; tui_type "F801200025007"; tui_keys Tab
tui_type "Kowalczyk"; tui_keys Tab
tui_type "Zofia"; tui_keys Tab Tab Tab
tui_type "05/05/2015"; tui_keys Tab Right Tab
tui_type "6"; tui_keys Tab Tab Tab Tab
# status: N -> K; primary need: none -> SLCN (the first code)
tui_keys Right Tab Tab Right
tui_keys C-s
check "the form saves the pupil" tui_wait "Kowalczyk, Zofia added"
check "the pupil is in the database with status and need" sh -c \
    "'$SENCO' --db '$TUI_DB' pupil show F801200025007 | grep -q 'SLCN'"
check "the register lists the new pupil" tui_wait "Kowalczyk, Zofia"

# --- a cycle from the Cycle pane -------------------------------------------
tui_keys : ; tui_type "goto $TUI_UPN_ADAMS"; tui_keys Enter
tui_wait "Adams, Tom"
check "a pupil without a cycle opens on the Cycle pane" tui_wait "No open cycle"
tui_keys n
check "n starts a cycle" tui_wait "cycle started at Assess"
check "the cycle is in the database" sh -c \
    "'$SENCO' --db '$TUI_DB' cycle list $TUI_UPN_ADAMS --format csv | grep -q ',assess,'"
tui_keys '>'
check "> advances to Plan" tui_wait "[Plan]"
tui_keys u
check "u takes the stage back" sh -c \
    "'$SENCO' --db '$TUI_DB' cycle list $TUI_UPN_ADAMS --format csv | grep -q ',assess,'"

# --- a note from the History pane ---------------------------------------------
tui_keys 4 a
tui_wait "New note for Adams, Tom"
tui_keys Tab Right Tab
tui_type "Spoke to Mum on the phone about the new plan."
tui_keys C-s
check "the note form saves" tui_wait "note added"
check "the note is in the database" sh -c \
    "'$SENCO' --db '$TUI_DB' pupil show $TUI_UPN_ADAMS | grep -q 'Spoke to Mum'"

# --- an enrolment from the Interventions pane ---------------------------------
tui_keys 3 a
check "a on the Interventions pane opens the enrol form" \
    tui_wait "Enrol Adams, Tom in an intervention"
tui_keys Tab ; tui_type "Mrs Okafor"; tui_keys Tab Tab Tab Tab Tab Tab
tui_type "Reading age"; tui_keys Tab Right Tab
tui_type "86"
tui_keys C-s
check "the enrolment is saved" tui_wait "enrolled"
tui_keys r ; tui_type "92"; tui_keys Enter
check "r records the exit score" tui_wait "exit score recorded"
check "the exit and the impact show" tui_wait "impact +6"
tui_done
