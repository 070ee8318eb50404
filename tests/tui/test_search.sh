#!/bin/sh
# Search as you type on a roll of 1,000: the first match and its number,
# n and N round the ends, and the count that stops at 50 ("of 50+")
# where the search index answers; a pupil renamed is found at their new
# place.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 12

"$SENCO" --db "$TUI_DB" demo --pupils 1000 --seed 3 >/dev/null 2>&1 ||
    { echo "Bail out! senco demo failed"; exit 1; }
# the names containing "son", in the register's order, from the CLI:
# on the register, and on the whole roll
reg=$(sen pupil list --search son --format csv | sed 1d | wc -l)
all=$(sen pupil list --all --archived --search son --format csv | sed 1d |
    wc -l)
first=$(sen pupil list --search son --format csv | sed -n 2p | cut -d, -f2,3 |
    sed 's/,/, /')
second=$(sen pupil list --search son --format csv | sed -n 3p |
    cut -d, -f2,3 | sed 's/,/, /')
last=$(sen pupil list --search son --format csv | tail -n 1 | cut -d, -f2,3 |
    sed 's/,/, /')
[ "$reg" -gt 2 ] && [ "$reg" -le 50 ] && [ "$all" -gt 50 ] ||
    { echo "Bail out! the demo has $reg and $all pupils named *son*"; exit 1; }

tui_start
tui_wait "Next review"
tui_keys /
tui_type son
check "the count is exact below 50 ($reg)" \
    tui_wait "match 1 of $reg for 'son'"
check "the first match is in view ($first)" tui_wait "$first"
tui_keys Enter n
check "n goes to the second match" tui_wait "match 2 of $reg for 'son'"
check "the second match is in view ($second)" tui_wait "$second"
tui_keys N N
check "N from the first goes round to the last" \
    tui_wait "match $reg of $reg for 'son'"
check "the last match is in view ($last)" tui_wait "$last"

# the whole roll: more than 50 match, and the count stops there
tui_keys Escape A
tui_wait "archived"
tui_keys /
tui_type son
check "the count stops at 50 ($all match)" \
    tui_wait "match 1 of 50+ for 'son'"
tui_keys Enter N
check "N from the first goes to the last, counted from it" \
    tui_wait "the last match of 50+ for 'son'"
tui_keys N
check "and the one before it" tui_wait "match 2 from the last of 50+"
tui_keys n n
check "n from the last goes round to the first" \
    tui_wait "match 1 of 50+ for 'son'"

# renamed while senco is open: found at the new name's place
upn=$(sen pupil list --search son --format csv | sed -n 2p | cut -d, -f1)
sen pupil edit "$upn" --preferred-surname Zebedeeson >/dev/null 2>&1 ||
    { echo "Bail out! senco pupil edit failed"; exit 1; }
tui_keys Escape /
tui_type zebedee
check "a pupil renamed since is found by the new name" \
    tui_wait "match 1 of 1 for 'zebedee'"
check "and shown under it" tui_wait "Zebedeeson, "
tui_keys Escape q
tui_exited
tui_done
