#!/bin/sh
# The merge screen: a laptop copy (senco checkout --to) edited on both
# sides is merged from the register at 80x24 without colour. The clean
# changes and the conflicts are shown; y is refused while a conflict has
# no choice and n writes nothing; one conflict kept from the server and
# one from the laptop, then y, and the CLI shows each choice took effect
# with one audit entry per merged change. A copy of another schema
# version and a file that is no laptop copy are refused in one line.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 40

LAP=$TUI_DIR/laptop.db
lap() {
	"$SENCO" --db "$LAP" "$@"
}

# screen_has REGEX / line_has N REGEX: the screen (line N) matches now
screen_has() {
	tui_screen | grep -q -- "$1"
}
line_has() {
	tui_screen | sed -n "${1}p" | grep -q -- "$2"
}

# the CLI's field of a pupil: "Class:  5S" -> 5S
class_of() {
	sen pupil show "$1" | sed -n 's/^Class: *//p'
}

tui_fixture
{
	sen checkout --to "$LAP" &&
	# both sides change the same field of Zoë and of Łukasz ...
	lap pupil edit $TUI_UPN_ZOE --class 5L &&
	lap pupil edit $TUI_UPN_LUKASZ --class 4L &&
	sen pupil edit $TUI_UPN_ZOE --class 5S &&
	sen pupil edit $TUI_UPN_LUKASZ --class 4S &&
	# ... and the laptop alone changes Tom and writes about Văn An
	lap pupil edit $TUI_UPN_ADAMS --class 5A &&
	lap note add $TUI_UPN_NGUYEN --text "Met Mum: SALT referral agreed" &&
	# not a laptop copy: a caseload of its own
	"$SENCO" --db "$TUI_DIR/other.db" init
} >/dev/null 2>"$TUI_DIR/setup.err" ||
    { echo "Bail out! setup: $(cat "$TUI_DIR/setup.err")"; exit 1; }
audit_before=$(sen audit | wc -l)

tui_start NO_COLOR=1
tui_wait "Next review"

# --- M asks for the copy; the screen -------------------------------------------
tui_keys M
check "M asks for the laptop copy" tui_wait "laptop copy to merge:"
tui_type "$LAP"; tui_keys Enter
check "the clean changes and the conflicts are counted" \
    tui_wait "2 changes apply cleanly, 2 conflicts: 2 still to choose"
check "Zoë's conflict is listed with its field" \
    screen_has "^?  *Brown, Zoë ($TUI_UPN_ZOE)  *pupil record: class"
check "Łukasz's too" \
    screen_has "^?  *Nowak, Łukasz ($TUI_UPN_LUKASZ)  *pupil record: class"
check "the selected conflict says what happened" \
    tui_wait "Conflict 1 of 2: pupil record of Brown, Zoë"
check "... with the server's value" tui_wait "server: “5S”"
check "... and the laptop's" tui_wait "laptop: “5L”"
check "... and what each choice does" tui_wait "l keeps the laptop's: the class becomes “5L”"
check "the hint bar lists the merge keys" tui_wait "s server  l laptop"

# --- y is refused while a conflict has no choice --------------------------------
tui_keys y
check "y with conflicts to choose is refused" \
    tui_wait "2 conflicts still to choose: nothing was merged"
check "... and wrote nothing" test "$(class_of $TUI_UPN_ADAMS)" = ""

# --- n writes nothing ----------------------------------------------------------------
tui_keys s
check "s keeps the server's side, on to the next" \
    tui_wait "conflict 1: kept the server's; 1 conflict still to choose"
check "the choice is written in the list" screen_has "^server  *Brown, Zoë"
tui_keys n
check "n leaves the merge" tui_wait "merge cancelled: nothing was written"
check "back on the register" tui_wait "Next review"
check "n wrote no clean change" test "$(class_of $TUI_UPN_ADAMS)" = ""
check "... and no conflict's side" test "$(class_of $TUI_UPN_LUKASZ)" = "4S"
check "... and no audit entry" test "$(sen audit | wc -l)" = "$audit_before"

# --- :merge FILE, one side each, y ---------------------------------------------
tui_keys :; tui_type "merge $LAP"; tui_keys Enter
check ":merge FILE opens the merge again, nothing chosen" \
    tui_wait "2 changes apply cleanly, 2 conflicts: 2 still to choose"
tui_keys s
tui_wait "Conflict 2 of 2: pupil record of Nowak, Łukasz"
tui_keys l
check "l keeps the laptop's side" \
    tui_wait "conflict 2: kept the laptop's; every conflict has a choice"
check "every conflict has a choice" tui_wait "every one has a choice, y merges"
tui_keys y
check "y merges and shows what was merged" \
    tui_wait "Merged the laptop copy $LAP"
check "... the figures" tui_wait "4 changes from the laptop: 2 applied as they were"
check "... each conflict with its choice" \
    tui_wait "Conflicts: 1 kept the server's, 1 the laptop's"
check "... and what it did" tui_wait "the class becomes “4L”"
tui_keys q
check "q returns to the register" tui_wait "Next review"

# --- each choice took effect (the CLI) ----------------------------------------
check "Zoë: the server's class was kept" test "$(class_of $TUI_UPN_ZOE)" = "5S"
check "Łukasz: the laptop's class was kept" \
    test "$(class_of $TUI_UPN_LUKASZ)" = "4L"
check "Tom's clean change arrived" test "$(class_of $TUI_UPN_ADAMS)" = "5A"
check "Văn An's note arrived" sh -c \
    "'$SENCO' --db '$TUI_DB' note list $TUI_UPN_NGUYEN | grep -q 'SALT referral'"
check "one audit entry for Łukasz's merged class, from the laptop copy" \
    test "$(sen audit $TUI_UPN_LUKASZ | grep -c 'from laptop copy.*update pupil  *class: 4S -> 4L')" = 1
check "one for Tom's, and no laptop entry besides" \
    test "$(sen audit $TUI_UPN_ADAMS | grep -c 'class:  *-> 5A')" = 1
check "none for Zoë's kept server side" \
    test "$(sen audit $TUI_UPN_ZOE | grep -c '5L')" = 0

# --- refusals: one line on the message line ---------------------------------
tui_keys :; tui_type "merge $LAP"; tui_keys Enter
check "merging the same copy again changes nothing" \
    tui_wait "nothing changed on the laptop copy since it was taken or last merged"
if command -v sqlite3 >/dev/null 2>&1; then
	cp "$LAP" "$TUI_DIR/old.db"
	sqlite3 "$TUI_DIR/old.db" "PRAGMA user_version = 99" >/dev/null
	tui_keys :; tui_type "merge $TUI_DIR/old.db"; tui_keys Enter
	check "a copy of another schema version is refused" \
	    tui_wait "schema version 99"
	check "... in one line" line_has 23 "schema version 99"
	check "... staying on the register" screen_has "Next review"
else
	ok "a copy of another schema version is refused # SKIP no sqlite3"
	ok "... in one line # SKIP no sqlite3"
	ok "... staying on the register # SKIP no sqlite3"
fi
tui_keys :; tui_type "merge $TUI_DIR/other.db"; tui_keys Enter
check "a caseload that is no laptop copy is refused" \
    tui_wait "not a laptop copy"
check "... in one line" line_has 23 "not a laptop copy"
check "... staying on the register" screen_has "Next review"
tui_done
