#!/bin/sh
# test_admin.sh: senco init, demo, check, backup, help, the global options
# and the configuration file, run against real caseload files.
. "$SENCO_SRCDIR/tests/lib.sh"

# --- help and usage -------------------------------------------------------
t_ok "--help exits 0" --help
for cmd in "init " "demo " "check " "backup FILE" "pupil add" "pupil list" \
    "pupil show" "pupil edit" "pupil archive" "cycle start" "cycle advance" \
    "cycle close" "cycle edit" "cycle list" "target add" "target list" \
    "target rate" "target outcome" "intervention add" "intervention list" \
    "intervention enrol" "intervention exit" "note add" "exclusion add" \
    "agency add" "help "; do
	t_out "--help lists '$cmd'" "^  $cmd"
done
t_check "--help fits 80 columns" \
    sh -c "! awk 'length > 80' '$OUT' | grep -q ."
t_ok "-h is --help" -h
t_out "-h prints the usage" "^Usage: senco "
t_ok "--version" --version
t_out "--version names senco" "^senco [0-9]"

t_ok "help pupil" help pupil
t_out "help pupil shows pupil add" "^Usage: senco pupil add "
t_out "help pupil shows pupil archive" "^Usage: senco pupil archive "
t_ok "help pupil add" help pupil add
cp "$OUT" "$T/help-add"
t_no_out "help pupil add shows only add" "pupil list"
t_out "help pupil add lists --preferred-forename" "--preferred-forename"
t_ok "pupil add --help" pupil add --help
t_check "pupil add --help is help pupil add" cmp -s "$OUT" "$T/help-add"
t_ok "pupil --help" pupil --help
t_out "pupil --help shows every subcommand" "^Usage: senco pupil edit "
t_ok "help init" help init
t_ok "init --help" init --help
t_out "init --help prints usage" "^Usage: senco init"
t_check "help never made a caseload" test ! -e "$DB"

t_fail 64 "senco: help: no command 'frob' (see 'senco --help')" \
    "help of an unknown command" help frob
t_fail 64 "senco: help: pupil: no subcommand 'frob' (try add, list, show, edit or archive)" \
    "help of an unknown subcommand" help pupil frob
t_fail 64 "senco: frob: no such command (see 'senco --help')" \
    "unknown command" frob
t_fail 64 "senco: pupil: which one? add, list, show, edit or archive (see 'senco help pupil')" \
    "command without its subcommand" pupil
t_fail 64 "senco: unknown option '--frob' (see 'senco --help')" \
    "unknown global option" --frob
t_fail 64 "senco: unknown option '-x' (see 'senco --help')" \
    "unknown short global option" -x
t_fail 64 "senco: option '--db' needs a value (see 'senco --help')" \
    "--db without a file" --db
t_fail 64 "senco: init: unexpected argument 'now' (see 'senco help init')" \
    "init takes no arguments" init now
t_fail 64 "senco: check: unknown option '--deep' (see 'senco help check')" \
    "check refuses an unknown option" check --deep

# --- no caseload yet ---------------------------------------------------------
t_fail 66 "senco: $DB: no caseload there (create one with 'senco init' or try 'senco demo')" \
    "a missing caseload says how to make one" pupil list
t_check "a missing caseload is not created by a listing" test ! -e "$DB"
t_fail 66 "senco: $T/none.db: no caseload there (create one with 'senco init' or try 'senco demo')" \
    "--db names a missing caseload" --db "$T/none.db" check
t_fail 77 "senco: init: cannot create a caseload with --read-only" \
    "init refuses --read-only" --read-only init
t_check "init under --read-only made no file" test ! -e "$DB"

# --- init ---------------------------------------------------------------------
t_ok "init creates the default caseload" init
t_out "init says where" "^Created an empty caseload in $DB\.$"
t_check "the caseload file exists" test -f "$DB"
t_check "the caseload is private (0600)" \
    sh -c "ls -l '$DB' | grep -q '^-rw-------'"
t_check "its directory is private (0700)" \
    sh -c "ls -ld '$XDG_DATA_HOME/senco' | grep -q '^drwx------'"
snapshot
t_fail 73 "senco: $DB: a file is already there; senco will not overwrite it" \
    "init refuses to overwrite a caseload" init
t_unchanged "the refused init changed nothing"
: >"$T/empty"
t_fail 73 "senco: $T/empty: a file is already there; senco will not overwrite it" \
    "init refuses any existing file" --db "$T/empty" init
t_check "the existing file is left alone" test ! -s "$T/empty"
echo "not a caseload" >"$T/text.db"
chmod 600 "$T/text.db"
t_fail 70 "senco: $T/text.db: not a senco caseload*" \
    "a file that is not a caseload is refused" --db "$T/text.db" pupil list
t_check "the foreign file is untouched" \
    sh -c "test \"\$(cat '$T/text.db')\" = 'not a caseload'"

# --- check ----------------------------------------------------------------------
t_ok "check passes on a new caseload" check
t_out "check reports integrity" "^ok  *integrity: ok$"
t_out "check reports foreign keys" "^ok  *foreign keys: ok$"
t_out "check reports the schema version, up to date" "^ok  *schema: version \([0-9]*\) (this senco: \1)$"
t_out "check reports the file is private" "^ok  *permissions: only its owner can read the caseload$"
chmod 644 "$DB"
t_fail 65 "senco: check: 1 problem found in $DB" \
    "check fails on a caseload others can read" check
t_out "check names the problem and the fix" \
    "^PROBLEM  *permissions: $DB: mode 0644 lets other users read or change pupil data; senco will not open it (fix: chmod 600 $DB)$"
t_fail 77 "senco: $DB: mode 0644 lets other users read or change pupil data; senco will not open it (fix: chmod 600 $DB)" \
    "a caseload others can read is refused (StrictModes)" pupil list
chmod 600 "$DB"
DBDIR=$(dirname "$DB")
chmod 755 "$DBDIR"
t_fail 77 "senco: $DBDIR: mode 0755 lets other users list or change pupil data; senco will not open it (fix: chmod 700 $DBDIR)" \
    "a caseload in a directory others can list is refused" pupil list
chmod 700 "$DBDIR"
t_ok "the same caseload opens once private again" pupil list
t_ok "check works under --read-only" --read-only check

# the register's on-track figures (cycle_track, kept by triggers)
TRK="$T/track.db"
t_ok "a demo caseload to check" --db "$TRK" demo
t_ok "check passes on the demo" --db "$TRK" check
t_out "check says the on-track figures agree" \
    "^ok  *on-track figures: agree with the targets and ratings$"
sqlite3 "$TRK" "UPDATE cycle_track SET r1 = r1 + 1 WHERE cycle_id =
    (SELECT min(cycle_id) FROM cycle_track WHERE open > 0)"
t_fail 65 "senco: check: 1 problem found in $TRK" \
    "check fails when a cycle's figures are wrong" --db "$TRK" check
t_out "check names the cycle's figures" \
    "^PROBLEM  *on-track figures: 1 cycle disagrees with their targets and ratings$"
t_out "check says the register's rows agree" \
    "^ok  *register rows: agree with the details, statuses, needs, cycles and provision$"
sqlite3 "$TRK" "UPDATE pupil_now SET status = 'K' WHERE pupil_id IN
    (SELECT pupil_id FROM pupil_now WHERE status = 'E' LIMIT 2)"
t_fail 65 "senco: check: 2 problems found in $TRK" \
    "check fails when pupils' register rows are wrong" --db "$TRK" check
t_out "check counts the pupils whose rows are wrong" \
    "^PROBLEM  *register rows: 2 pupils disagree with their details, statuses, needs, cycles and provision$"
t_out "check says the counts of open statuses agree" \
    "^ok  *status counts: agree with the pupils' statuses$"
sqlite3 "$TRK" "UPDATE status_tally SET n = n - 1 WHERE status = 'E'"
t_fail 65 "senco: check: 3 problems found in $TRK" \
    "check fails when a count of open statuses is wrong" --db "$TRK" check
t_out "check names the count that is wrong" \
    "^PROBLEM  *status counts: 1 status disagrees with their pupils' statuses$"
t_out "check says the search index agrees" \
    "^ok  *search index: agree with the names and UPNs$"
# two pupils' ranks swapped: out of the name order
sqlite3 "$TRK" "UPDATE pupil_search_rank SET rank = -rank WHERE pupil_id IN
    (SELECT pupil_id FROM pupil_search_rank ORDER BY rank LIMIT 1 OFFSET 5);
    UPDATE pupil_search_rank SET rank = (SELECT max(rank) + 1 FROM
    pupil_search_rank) WHERE rank < 0"
t_fail 65 "senco: check: 4 problems found in $TRK" \
    "check fails when the search index is out of order" --db "$TRK" check
t_out "check counts the pupils whose rows of the index are wrong" \
    "^PROBLEM  *search index: [1-9][0-9]* pupils\{0,1\} disagrees\{0,1\} with their names and UPNs$"

# --- backup ---------------------------------------------------------------------
t_ok "add a pupil to back up" pupil add --upn "$UPN1" --surname Brown \
    --forename Zoë --dob 03/04/2016 --year 4 --status K --need SLCN
t_ok "backup to a new file" backup "$T/copy.db"
t_out "backup says what it did" "^Copied $DB to $T/copy.db\.$"
t_check "the copy is private (0600)" \
    sh -c "ls -l '$T/copy.db' | grep -q '^-rw-------'"
t_ok "the copy opens as a caseload" --db "$T/copy.db" pupil list \
    --format csv
t_out "the copy has the pupil" "^$UPN1,Brown,Zoë,"
t_ok "the copy passes check" --db "$T/copy.db" check
t_fail 73 "senco: $T/copy.db: a file is already there; senco will not overwrite it" \
    "backup refuses to overwrite" backup "$T/copy.db"
t_fail 73 "senco: $T/no/such/dir/copy.db: cannot create: No such file or directory" \
    "backup into a missing directory" backup "$T/no/such/dir/copy.db"
t_fail 64 "senco: backup: missing FILE (where to put the copy) (see 'senco help backup')" \
    "backup needs a file" backup
t_ok "backup works under --read-only" --read-only backup "$T/copy2.db"

# --- demo ---------------------------------------------------------------------
t_ok "demo builds a new caseload" --db "$T/demo.db" demo --pupils 40 --seed 7
t_out "demo says what it made" "^Created a demo caseload of 40 fictional pupils in $T/demo.db (seed 7)\.$"
t_ok "the demo lists every pupil" --db "$T/demo.db" pupil list --all \
    --archived --format csv
t_check "the demo has 40 pupils" \
    sh -c "test \$(tail -n +2 '$OUT' | wc -l) -eq 40"
cp "$OUT" "$T/demo1.csv"
t_ok "the demo has a register" --db "$T/demo.db" pupil list --format csv
t_check "some demo pupils are on the register" \
    sh -c "test \$(tail -n +2 '$OUT' | wc -l) -gt 0"
t_ok "the demo passes check" --db "$T/demo.db" check
t_ok "the same seed again" --db "$T/demo2.db" demo --pupils 40 --seed 7
t_ok "list the second demo" --db "$T/demo2.db" pupil list --all \
    --archived --format csv
t_check "the same seed gives the same pupils" cmp -s "$OUT" "$T/demo1.csv"
snapshot "$T/demo.db"
t_fail 73 "senco: *" "demo refuses a caseload with pupils" \
    --db "$T/demo.db" demo --pupils 10
t_unchanged "the refused demo changed nothing" "$T/demo.db"
t_fail 65 "senco: --pupils: '0' is not a whole number from 1 to 100000" \
    "demo refuses 0 pupils" --db "$T/demo3.db" demo --pupils 0
t_fail 65 "senco: --pupils: 'many' is not a whole number from 1 to 100000" \
    "demo refuses a word for pupils" --db "$T/demo3.db" demo --pupils many
t_check "a refused demo made no file" test ! -e "$T/demo3.db"
t_fail 64 "senco: demo: unknown option '--size' (see 'senco help demo')" \
    "demo refuses an unknown option" --db "$T/demo3.db" demo --size 3
t_ok "demo with a CSV of the roll" --db "$T/demo4.db" demo --pupils 12 \
    --csv "$T/roll.csv"
t_check "the roll CSV was written" test -s "$T/roll.csv"

# --- configuration ----------------------------------------------------------------
mkdir -p "$XDG_CONFIG_HOME/senco"
me=$(id -un)
cat >"$T/school.conf" <<EOF
database = "$T/conf.db";
date_format = "YYYY-MM-DD";
staff = ( { user = "$me"; name = "Mrs A. Okafor"; } );
interventions = (
    { name = "Precision teaching"; area = "CL"; cost_per_hour = 16.50; },
    { name = "Language group"; area = "CI"; cost_per_session = 9.00; }
);
EOF
t_ok "init with --config uses its database" --config "$T/school.conf" init
t_out "the configured database is the one made" "in $T/conf.db"
t_check "the configured database exists" test -f "$T/conf.db"
t_ok "the catalogue was seeded from the configuration" \
    --config "$T/school.conf" intervention list --format csv
t_out "seeded: Precision teaching" "^Precision teaching,CL,16.50,hour,0,"
t_out "seeded: Language group" "^Language group,CI,9.00,session,0,"
t_ok "add a pupil through the configured caseload" --config "$T/school.conf" \
    pupil add --upn "$UPN2" --surname 李 --forename Wei --dob 2015-02-01 \
    --year 5
t_ok "note as the configured staff member" --config "$T/school.conf" \
    note add "$UPN2" --text "Met dad" --kind meeting --date 2026-01-12
t_ok "list the notes" --config "$T/school.conf" note list "$UPN2"
t_out "the author is the staff list's name" "Mrs A. Okafor"
t_out "dates follow date_format" "^2026-01-12 "
SENCO_CONFIG=$T/school.conf
export SENCO_CONFIG
t_ok "SENCO_CONFIG names the file" pupil list --all --format csv
t_out "SENCO_CONFIG's database is used" "^$UPN2,"
unset SENCO_CONFIG
cp "$T/school.conf" "$XDG_CONFIG_HOME/senco/senco.conf"
t_ok "XDG_CONFIG_HOME/senco/senco.conf is read" pupil list --all --format csv
t_out "its database is used" "^$UPN2,"
rm "$XDG_CONFIG_HOME/senco/senco.conf"

t_fail 78 "senco: $T/missing.conf*" "a missing --config file" \
    --config "$T/missing.conf" pupil list
printf 'school = {\n  name = "Broken;\n};\n' >"$T/broken.conf"
t_fail 78 "senco: $T/broken.conf:*" "a syntax error stops senco" \
    --config "$T/broken.conf" pupil list
printf 'colour_scheme = "dark";\n' >"$T/unknown.conf"
run --config "$T/unknown.conf" --db "$DB" pupil list
t_check "an unknown setting is not fatal" test "$RC" -eq 0
t_check "an unknown setting is a warning naming it" \
    grep -q "^senco: warning: .*colour_scheme" "$ERR"
t_ok "help works whatever the configuration" --config "$T/broken.conf" help

# --- the manual documents every command and option ----------------------------
MAN=$SENCO_SRCDIR/man/senco.1
for cmd in init demo check backup help pupil cycle target intervention note \
    exclusion agency; do
	run help "$cmd"
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$OUT" | sort -u); do
		man_opt=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
		t_check "senco.1 documents $cmd $opt" grep -q -- "$man_opt" "$MAN"
	done
	for sub in $(sed -n "s/^Usage: senco $cmd \([a-z]*\).*/\1/p" "$OUT"); do
		t_check "senco.1 documents $cmd $sub" \
		    grep -q "senco $cmd $sub" "$MAN"
	done
done

finish
