#!/bin/sh
# The key table is the one source: every action in src/ui/keys.c is
# documented in man/senco.1 under KEYS, and the help screen lists the
# keys of the screen it was opened on.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 6

man="$SENCO_SRCDIR/man/senco.1"
names=$(sed -n 's/^[[:space:]]*K(ACT_[A-Z0-9_]*, "\([a-z0-9-]*\)".*/\1/p' \
    "$SENCO_SRCDIR/src/ui/keys.c")
# the KEYS section with roff's \- made plain
keys=$(sed -n '/^\.SH KEYS/,/^\.SH /p' "$man" 2>/dev/null | sed 's/\\-/-/g')
missing=""
for n in $names; do
	printf "%s\n" "$keys" | grep -q -x -F -- ".BR $n ." || missing="$missing $n"
done
check "the key table has actions ($(echo $names | wc -w))" \
    test "$(echo $names | wc -w)" -gt 40
check "every action is in senco(1) KEYS (missing:${missing:- none})" \
    test -z "$missing"

tui_fixture
tui_start
tui_wait "Next review"
tui_keys '?'
check "? opens the help for the register" tui_wait "Keys on the Register screen"
check "help lists the register's keys from the table" tui_wait "sort by the next column"
tui_keys q
tui_keys : ; tui_type "goto $TUI_UPN_ZOE"; tui_keys Enter
tui_wait "Read 20 common exception words"
tui_keys '?'
check "help on the Targets pane lists rating" tui_wait "rate the target 3 (secure)"
tui_keys q
check "q leaves help" tui_wait "Read 20 common exception words"
tui_done
