#!/bin/sh
# Import from the register (a dry run first; n writes nothing, y writes,
# s skips refused rows), the plan written from the pupil screen, and the
# record history after a rating; each checked through the CLI.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 15

data="$SENCO_SRCDIR/tests/data"
tui_fixture
tui_start
tui_wait "Next review"

# --- import: the dry run, then n -----------------------------------------------
tui_keys I
check "I asks for the file" tui_wait "import file:"
tui_type "$data/sims.csv"; tui_keys Enter
check "the dry run shows the summary" tui_wait "5 pupils read: 5 to add"
check "and says nothing is written yet" tui_wait "Nothing is written yet"
check "the pupils to add are listed" tui_wait "new pupil A801200005010"
tui_keys n
check "n leaves the import" tui_wait "import cancelled: nothing was written"
check "n wrote nothing" sh -c \
    "! '$SENCO' --db '$TUI_DB' pupil show A801200005010 >/dev/null 2>&1"

# --- and again, then y ------------------------------------------------------------
tui_keys I; tui_wait "import file:"
tui_type "$data/sims.csv"; tui_keys Enter
tui_wait "5 to add"
tui_keys y
check "y imports" tui_wait "imported:"
check "y wrote the pupils" sh -c \
    "'$SENCO' --db '$TUI_DB' pupil show A801200005010 | grep -q SPLD"

# --- a file with refused rows: y is refused, s skips them ---------------------
tui_keys I; tui_wait "import file:"
tui_type "$data/bad.csv"; tui_keys Enter
check "refused rows are listed with file:line: field: why" \
    tui_wait "bad.csv:3: UPN: UPN 'B801200005022' has the wrong"
tui_keys y
check "y with refused rows offers skipping them" tui_wait "s imports the good rows"
check "and wrote nothing" sh -c \
    "! '$SENCO' --db '$TUI_DB' pupil show C801200005021 >/dev/null 2>&1"
tui_keys s
tui_wait "imported:"
check "s imports the good rows" sh -c \
    "'$SENCO' --db '$TUI_DB' pupil show C801200005021 | grep -q Ada"

# --- the plan -------------------------------------------------------------------
tui_keys : ; tui_type "goto $TUI_UPN_ZOE"; tui_keys Enter
tui_wait "Read 20 common exception words"
tui_keys W
tui_wait "write plan to:"
tui_keys C-u; tui_type "$TUI_DIR/plan-zoe.html"; tui_keys Enter
check "W says where the plan was written" tui_wait "plan-zoe.html"
check "the plan file names the pupil" grep -q "Zoë" "$TUI_DIR/plan-zoe.html"

# --- the record history ------------------------------------------------------
tui_keys 3
tui_wait "rated 3"
tui_keys H
check "H shows the rating in the record history" tui_wait "insert rating"
tui_done
