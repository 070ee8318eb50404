#!/bin/sh
# Two users of one caseload: changes made with the CLI while the UI shows
# the register or the pupil appear within a few seconds; an edit form
# whose pupil was changed underneath says so, and r reloads (nothing of
# mine written) or o overwrites (my values written); idle, senco uses no
# CPU while it watches for changes.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 13

tui_fixture
tui_start
tui_wait "Next review"

# --- the register and the pupil screen follow other users ---------------------
sen pupil edit $TUI_UPN_ADAMS --surname Adamson >/dev/null
check "the register shows another user's change" tui_wait "Adamson, Tom"
check "and says where it came from" tui_wait "updated: changes by another user"

tui_keys : ; tui_type "goto $TUI_UPN_ZOE"; tui_keys Enter
tui_wait "Read 20 common exception words"
sen pupil edit $TUI_UPN_ZOE --class 5B >/dev/null
check "the pupil screen shows another user's change" tui_wait "Class 5B"
sen target add $TUI_UPN_ZOE --text "Count to 100 in tens" --area CL >/dev/null
check "and reloads its pane" tui_wait "Count to 100 in tens"

# --- idle: no CPU ---------------------------------------------------------------
ticks() { awk '{ print $14 + $15 }' "/proc/$TUI_PID/stat"; }
if [ -r "/proc/$TUI_PID/stat" ]; then
	t0=$(ticks); sleep 3; t1=$(ticks)
	check "idle for 3 s costs under 0.05 s of CPU ($((t1 - t0)) ticks)" \
	    test $((t1 - t0)) -lt 5
else
	ok "# SKIP no /proc"
fi

# --- a conflict: r reloads --------------------------------------------------------
tui_keys E
tui_wait "Edit Brown"
tui_keys Tab Tab Tab Tab; tui_type "Zo"
sen pupil edit $TUI_UPN_ZOE --class 5C >/dev/null
tui_keys C-s
check "saving over another user's change says who changed it" \
    tui_wait "changed by"
check "and offers reload and overwrite" tui_wait "r reload"
tui_keys r
check "r reopens the form with the saved values" tui_wait "reloaded: the form"
check "r wrote nothing of mine" sh -c \
    "'$SENCO' --db '$TUI_DB' pupil show $TUI_UPN_ZOE | grep -q '5C' &&
     ! '$SENCO' --db '$TUI_DB' pupil show $TUI_UPN_ZOE | grep -q 'Zo '"

# --- a second round: o overwrites ------------------------------------------------
tui_keys Tab Tab Tab Tab; tui_type "Zo"
sen pupil edit $TUI_UPN_ZOE --class 5D >/dev/null
tui_keys C-s
check "the second change is a conflict again" tui_wait "changed by"
tui_keys o
check "o saves my values" tui_wait "Brown, Zo saved"
check "o wrote my values over the other user's" sh -c \
    "'$SENCO' --db '$TUI_DB' pupil show $TUI_UPN_ZOE | grep -q 'Zo' &&
     '$SENCO' --db '$TUI_DB' pupil show $TUI_UPN_ZOE | grep -q '5C'"
check "the pupil screen shows the values saved" tui_wait "Class 5C"
tui_done
