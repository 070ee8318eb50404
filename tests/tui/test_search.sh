#!/bin/sh
# Search as you type on a roll of 1,000: the first match and its number,
# n and N round the ends (Enter opens the pupil under the cursor, which
# says which it is), the count that stops at 20 ("of 20+") where the
# search index answers, and a pupil renamed found at their new place.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 14

"$SENCO" --db "$TUI_DB" demo --pupils 1000 --seed 3 >/dev/null 2>&1 ||
    { echo "Bail out! senco demo failed"; exit 1; }
# the pupils whose names contain "ill", in the register's order, from the
# CLI: "Surname, Forename" of the row $1 of those on the register
ill() {
	sen pupil list --search ill --format csv | sed 1d | sed -n "$1" |
	    cut -d, -f2,3 | sed 's/,/, /'
}
reg=$(sen pupil list --search ill --format csv | sed 1d | wc -l)
all=$(sen pupil list --all --archived --search ill --format csv | sed 1d |
    wc -l)
[ "$reg" -gt 2 ] && [ "$reg" -le 20 ] && [ "$all" -gt 20 ] ||
    { echo "Bail out! the demo has $reg and $all pupils named *ill*"; exit 1; }

tui_start
tui_wait "Next review"
tui_keys /
tui_type ill
check "the count is exact below 20 ($reg)" \
    tui_wait "match 1 of $reg for 'ill'"
tui_keys Enter n
check "n goes to the second match" tui_wait "match 2 of $reg for 'ill'"
# the pupil under the cursor: Enter opens them, whose screen has no list
opened() {
	tui_keys Enter
	tui_wait "UPN " && tui_wait "$1" && tui_keys q &&
	    tui_wait "Next review"
}
check "the cursor is on the second match ($(ill 2p))" opened "$(ill 2p)"
tui_keys N N
check "N from the first goes round to the last" \
    tui_wait "match $reg of $reg for 'ill'"
check "the cursor is on the last match ($(ill '$p'))" opened "$(ill '$p')"

# the whole roll: more than 20 match, and the count stops there
tui_wait "Next review"
tui_keys A
tui_wait "archived"
tui_keys /
tui_type ill
check "the count stops at 20 ($all match)" \
    tui_wait "match 1 of 20+ for 'ill'"
tui_keys Enter N
check "N from the first goes to the last, counted from it" \
    tui_wait "the last match of 20+ for 'ill'"
tui_keys N
check "and the one before it" tui_wait "match 2 from the last of 20+"
tui_keys n n
check "n from the last goes round to the first" \
    tui_wait "match 1 of 20+ for 'ill'"
tui_keys s n
check "after s, n starts again, counted exactly in that order" \
    tui_wait "match 1 of $all for 'ill'"
tui_keys : ; tui_type "sort name"; tui_keys Enter A
tui_wait "register only"

# the first renamed while senco is open: now the last, by the new name
first=$(ill 1p)
upn=$(sen pupil list --search ill --format csv | sed -n 2p | cut -d, -f1)
sen pupil edit "$upn" --preferred-surname Zillwood >/dev/null 2>&1 ||
    { echo "Bail out! senco pupil edit failed"; exit 1; }
[ "$(ill '$p')" = "Zillwood, ${first#*, }" ] ||
    { echo "Bail out! the renamed pupil is not the last: $(ill '$p')"; exit 1; }
tui_keys /
tui_type ill
check "the renamed pupil still matches" tui_wait "match 1 of $reg for 'ill'"
tui_keys Enter
check "the first match is now the one after ($(ill 1p))" opened "$(ill 1p)"
tui_keys N
check "the renamed pupil is the last match, at their new place" \
    opened "Zillwood, ${first#*, }"
tui_keys q
check "q quits" tui_exited
tui_done
