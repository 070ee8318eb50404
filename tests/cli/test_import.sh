#!/bin/sh
# test_import.sh: senco import (MIS CSV and CTF) and senco export against a
# real caseload: refused rows listed with file:line: field and nothing
# written, --dry-run, --skip-bad, updates, the config's column mapping,
# exports made 0600 and never written over, formula cells neutralised, and
# a CTF that goes out of one caseload and into another.
. "$SENCO_SRCDIR/tests/lib.sh"

D=$SENCO_SRCDIR/tests/data
mkdir -p "$XDG_CONFIG_HOME/senco"
cat >"$XDG_CONFIG_HOME/senco/senco.conf" <<'EOF'
school = { name = "Oakfield Primary"; la = 801; estab = 2000; };
import = { columns = { class = "Tutor"; }; };
EOF

# t_err DESC PATTERN: the last stderr has a line matching PATTERN.
t_err() {
	if grep -q -- "$2" "$ERR"; then
		pass "$1"
	else
		fail "$1" "no line on stderr matching: $2"
		_diag "$ERR"
	fi
}

t_rc() {
	if [ "$RC" -eq "$2" ]; then
		pass "$1"
	else
		fail "$1" "exited $RC, wanted $2"
		_diag "$ERR"
	fi
}

t_ok "init" init

# --- refusals -------------------------------------------------------------------
snapshot
run import "$D/bad.csv"
t_rc "a file with refused rows exits 65" 65
for l in 3:UPN 4:DOB 5:Primary\ Need 6:UPN 7:SEN\ Status 8:Surname 9:Year \
    10:Primary\ Need 11:DOB 12:FSM 13:Attendance 14:Primary\ Need \
    15:Secondary\ Need 17:Gender 18:UPN; do
	t_err "refused row ${l%%:*} listed as file:line: field" \
	    "^$D/bad.csv:${l%%:*}: ${l#*:}: "
done
t_err "the duplicate cites the first line" \
    "bad.csv:6: UPN: C801200005021 appears again (first on line 2)"
t_check "only the refused rows are listed" \
    test "$(grep -c "^$D/bad.csv:[0-9]*: " "$ERR")" -eq 15
t_err "the last line says nothing was written" \
    "^senco: .*15 pupils refused; nothing was written (fix the rows listed"
t_unchanged "nothing was written"

run import "$D/missing.csv"
t_rc "a missing column exits 65" 65
t_err "the missing columns and the header line" \
    "missing.csv:1: no column for: legal surname, date of birth, year group.*the header line is: UPN,Forename,Reg"
t_unchanged "nothing was written for a missing column"

run import "$D/evil.xml"
t_rc "an XML file with an external entity exits 65" 65
t_err "the DOCTYPE is refused" "evil.xml:2: the file has a DOCTYPE"
t_check "no file content leaks" sh -c "! grep -q 'root:' '$ERR' '$OUT'"
t_unchanged "nothing was written for the external entity"

t_fail 66 "senco: $T/none.csv: No such file or directory" \
    "a missing file" import "$T/none.csv"
t_fail 64 "senco: import: missing FILE (see 'senco help import')" \
    "no file named" import
t_fail 77 "senco: import: the caseload is open read-only*" \
    "--read-only refuses a real import" --read-only import "$D/sims.csv"

# --- dry run --------------------------------------------------------------------
run import --dry-run "$D/sims.csv"
t_rc "a dry run exits 0" 0
t_out "the dry run lists a new pupil" \
    "^$D/sims.csv:2: new pupil A801200005010 Brown, Zoë (year 4, SEN status K, needs SPLD)$"
t_out "the summary names the format and encoding" \
    "(CSV, UTF-8 with byte-order mark): 5 pupils read: 5 to add"
t_out "and says nothing was written" "^Dry run: nothing was written\.$"
t_err "historic codes are noticed" \
    "sims.csv:6: SEN Status: historic code 'A' (School Action) read as K"
t_unchanged "the dry run wrote nothing"
run --read-only import --dry-run "$D/sims.csv"
t_rc "a dry run works on a read-only caseload" 0

# --- real imports -----------------------------------------------------------------
run import "$D/sims.csv"
t_rc "the SIMS-style file imports" 0
t_out "5 added" "5 pupils read: 5 added, 0 changed, 0 unchanged, 0 refused\.$"
t_no_out "a real run lists no pupils without --verbose" "new pupil"
t_ok "list the pupils" pupil list --all --format csv
t_out "names with accents" "^P801200005011,Ó Súilleabháin,Shiv,5,E,ASD,"
t_out "李 imported" "^G801200005014,李,Wei,4,E,HI,"

run import "$D/cp1252.csv"
t_rc "the Windows-1252 file imports" 0
t_out "the encoding is named" "(CSV, Windows-1252): 3 pupils read: 3 added"
t_ok "list them" pupil list --all --format csv
t_out "Brontë intact" "^N801200005018,Brontë,Zoë,"
t_out "O’Brien intact" "^N801200005020,O’Brien,Seán,"

sed -e 's/^A801200005010,Brown,Zoë,,03\/04\/2016,4,4B,F,K/A801200005010,Brown,Zoë,,03\/04\/2016,5,5B,F,E/' \
    "$D/sims.csv" >"$T/sims2.csv"
run import --verbose "$T/sims2.csv"
t_rc "an update imports" 0
t_out "the change is listed as field: old -> new" \
    "sims2.csv:2: changed A801200005010 Brown, Zoë: year group: 4 -> 5; class: 4B -> 5B; SEN status: K -> E$"
t_out "the others are unchanged" "1 changed, 4 unchanged"
t_ok "show the pupil" pupil show A801200005010
t_out "the old status is closed in the history" \
    "^15/01/2026  15/01/2026  K SEN support"
t_out "the new status is open" "^15/01/2026              E EHC plan"

snapshot
run import --skip-bad "$D/bad.csv"
t_rc "--skip-bad exits 0" 0
t_out "--skip-bad adds the two good rows" "2 added, 0 changed, 0 unchanged, 15 refused"
t_err "--skip-bad still lists the refused rows" "bad.csv:3: UPN: "
t_err "--skip-bad warns" "^senco: warning: 15 pupils refused and left out"
t_ok "the good rows are there" pupil list --all --format csv
t_out "the first of the duplicated UPN" "^C801200005021,Good,Ada,"
t_out "the other good row" "^U801200005033,Fine,Bea,"
t_no_out "not the duplicate" "^C801200005021,Again"

printf 'UPN,Surname,Forename,DOB,Year,Tutor\nW801200005015,Mensah,Kwame,2015-05-05,5,T5\n' \
    >"$T/mapped.csv"
run import "$T/mapped.csv"
t_rc "a column named in the config imports" 0
t_ok "show it" pupil show W801200005015
t_out "Tutor read as the class" "^Class: *T5$"

cp "$D/leaver.xml" "$T/leaver.txt"
run import "$T/leaver.txt"
t_rc "a CTF is known by its content, not its name" 0
t_out "read as a CTF" "leaver.txt (CTF, UTF-8): 3 pupils read: 3 added"

# --- export ------------------------------------------------------------------------
t_ok "export the register" export pupils
t_out "the header uses import's names" \
    "^UPN,Legal Surname,Legal Forename,Preferred Surname,Preferred Forename,DOB,Year,Reg,"
t_out "a pupil line" "^A801200005010,Brown,Zoë,,,2016-04-03,5,5B,F,E,2026-01-15,SPLD,"
t_ok "a pupil whose name looks like a formula" pupil add \
    --upn M801200005027 --surname "=HYPERLINK(\"http://x\")" \
    --forename "@Ada" --dob 2016-01-01 --year 4
t_ok "export again" export pupils
t_out "formula cells neutralised" \
    "^M801200005027,\"'=HYPERLINK(\"\"http://x\"\")\",'@Ada,"
t_ok "TSV" export pupils --format tsv
t_out "TSV header" "^UPN	Legal Surname	"
t_ok "to a file" export pupils -o "$T/pupils.csv"
t_out "says where" "^Wrote [0-9]* lines of pupils to $T/pupils.csv\.$"
t_check "the file is private (0600)" \
    test "$(stat -c %a "$T/pupils.csv")" = 600
cp "$T/pupils.csv" "$T/pupils.before"
t_fail 73 "senco: $T/pupils.csv: already exists; senco does not write over a file (choose another name)" \
    "an existing file is not written over" export pupils -o "$T/pupils.csv"
t_check "the file is untouched" cmp -s "$T/pupils.csv" "$T/pupils.before"
t_fail 64 "senco: export pupils: an export is csv or tsv, not 'table'*" \
    "the aligned table is not an export format" export pupils --format table
t_ok "export targets" export targets
t_out "targets header" "^UPN,Name,Cycle Start,Review Date,Cycle Closed,Target,"
t_ok "export provision" export provision --format tsv
t_out "provision header" "^Intervention	Area	Staff	UPN	Name	"
t_ok "export cycles" export cycles
t_out "cycles header" "^UPN,Name,Stage,Plan Start,Plan End,Review Date,Decision,"

# --- a CTF out of one caseload and into another --------------------------------------------
t_ok "export a CTF" export ctf X801200005035 A801200005010 -o "$T/leaving.xml"
t_out "says where" "^Wrote a Common Transfer File for 2 pupils to $T/leaving.xml\.$"
t_check "the CTF is private (0600)" \
    test "$(stat -c %a "$T/leaving.xml")" = 600
t_check "the CTF names this school" \
    grep -q "<SchoolName>Oakfield Primary</SchoolName>" "$T/leaving.xml"
t_check "and an unknown destination" \
    grep -q "<LEA>MMM</LEA>" "$T/leaving.xml"
t_fail 66 "senco: UPN Q801200005002: no such pupil" \
    "an unknown UPN" export ctf A801200005010 Q801200005002 -o "$T/no.xml"
t_check "and no file is left behind" test ! -e "$T/no.xml"
t_fail 65 "senco: UPN 'B801200005002' has the wrong check letter*" \
    "a mistyped UPN" export ctf B801200005002

t_ok "a second caseload" --db "$T/b.db" init
run --db "$T/b.db" import "$T/leaving.xml"
t_rc "the CTF imports there" 0
t_out "two pupils added" "2 pupils read: 2 added"
for u in X801200005035 A801200005010; do
	# A CTF carries no class, flags or attendance: compare the rest.
	"$SENCO" export pupils | grep "^$u," | cut -d, -f1-7,9-15 >"$T/a.line"
	"$SENCO" --db "$T/b.db" export pupils | grep "^$u," | \
	    cut -d, -f1-7,9-15 >"$T/b.line"
	t_check "$u: the same names, status, since and needs" \
	    cmp -s "$T/a.line" "$T/b.line"
	"$SENCO" pupil show "$u" | sed -n '/^STATUS HISTORY/,/^$/p' \
	    >"$T/a.hist"
	"$SENCO" --db "$T/b.db" pupil show "$u" | \
	    sed -n '/^STATUS HISTORY/,/^$/p' >"$T/b.hist"
	t_check "$u: the same status history" cmp -s "$T/a.hist" "$T/b.hist"
done

finish
