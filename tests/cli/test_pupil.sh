#!/bin/sh
# test_pupil.sh: senco pupil add|list|show|edit|archive against a real
# caseload, and every refusal of bad input (nothing written after one).
. "$SENCO_SRCDIR/tests/lib.sh"

t_ok "init" init

# --- add ------------------------------------------------------------------------
t_ok "add a pupil on SEN support" pupil add --upn "$UPN1" --surname Brown \
    --forename Zoë --dob 03/04/2016 --year 4 --gender F --class 4B \
    --flags PP,EAL --attendance 93.5 --status K --since 01/09/2025 \
    --need SLCN --need ASD
t_out "add confirms" "^Added Brown, Zoë ($UPN1)\.$"
t_ok "add a pupil with an EHC plan" pupil add --upn "$UPN2" --surname 李 \
    --forename Wei --dob 2015-02-01 --year 5 --status E --need SEMH \
    --since 2025-06-01
t_ok "add a pupil with no SEN" pupil add --upn "$UPN3" --surname Nowak \
    --forename Łukasz --preferred-forename Luke --dob 2017-11-30 --year R \
    --gender M
t_ok "a lower-case UPN with spaces is forgiven" pupil add \
    --upn "$(echo "$UPN4" | tr 'E' 'e' | sed 's/^\(.....\)/\1 /')" \
    --surname "Nguyễn" --forename Siobhán --dob 2014-10-10 --year 6 \
    --status K --need SPLD
t_ok "a temporary UPN is accepted" pupil add --upn "$TEMPUPN" \
    --surname "O'Neill" --forename Aoife --dob 2016-01-20 --year 4

# --- list -----------------------------------------------------------------------
t_ok "list the register" pupil list
t_out "the register has the K pupil" "^$UPN1  Brown, Zoë "
t_out "the register has the E pupil" "^$UPN2  李, Wei "
t_no_out "the register leaves out N pupils" "$UPN3"
t_ok "list every pupil as CSV" pupil list --all --format csv
t_out "CSV header" "^UPN,Surname,Forename,Year,SEN status,Primary need,Flags,"
t_out "CSV row of Brown" "^$UPN1,Brown,Zoë,4,K,SLCN,PP EAL,"
t_out "CSV uses the preferred forename" "^$UPN3,Nowak,Luke,R,N,,"
t_out "CSV row of the stored UPN in capitals" "^$UPN4,Nguyễn,Siobhán,6,K,SPLD,"
t_check "CSV lists five pupils" \
    sh -c "test \$(tail -n +2 '$OUT' | wc -l) -eq 5"
t_ok "list as TSV" pupil list --format tsv
t_out "TSV is tab-separated" "^$UPN2	李	Wei	5	E	SEMH	"
t_ok "filter by status" pupil list --status E --format csv
t_out "status E gives the EHC pupil" "^$UPN2,"
t_no_out "status E leaves out K" "^$UPN1,"
t_ok "filter by need" pupil list --need asd --format csv
t_out "need ASD (a secondary need) matches" "^$UPN1,"
t_no_out "need ASD leaves out SEMH" "^$UPN2,"
t_ok "filter by year" pupil list --all --year Y6 --format csv
t_out "year 6" "^$UPN4,"
t_no_out "only year 6" "^$UPN1,"
t_ok "search by name" pupil list --all --search nowak --format csv
t_out "search finds Nowak" "^$UPN3,"
t_no_out "search finds only Nowak" "^$UPN1,"
t_ok "status N implies the N pupils" pupil list --status N --format csv
t_out "status N lists Nowak" "^$UPN3,"

# The aligned table lines up by display width, not bytes.
t_ok "aligned list" pupil list --all
# The display column where a row's Year cell starts: the width (wc -L
# counts 李 as two cells) of what comes before it.
year_col() {
	grep "^$1" "$OUT" | sed "s/  $2  .*//" | wc -L
}
head_col=$(grep '^UPN ' "$OUT" | sed 's/  Year  .*//' | wc -L)
t_check "the header has a Year column" test "$head_col" -gt 20
for row in "$UPN1 4" "$UPN2 5" "$UPN3 R" "$UPN4 6" "$TEMPUPN 4"; do
	set -- $row
	t_check "the Year cell of $1 lines up" test "$(year_col "$1" "$2")" \
	    -eq "$head_col"
done
t_check "no trailing spaces in the table" sh -c "! grep -q ' \$' '$OUT'"

# --- show -----------------------------------------------------------------------
t_ok "show a pupil" pupil show "$UPN1"
t_out "show: name" "^Brown, Zoë$"
t_out "show: date of birth and age" "^Date of birth: *03/04/2016 (age 9)$"
t_out "show: year and key stage" "^Year group: *4 (KS2)$"
t_out "show: flags" "^Flags: *PP EAL$"
t_out "show: attendance" "^Attendance: *93.5%$"
t_out "show: status" "^SEN status: *K SEN support, since 01/09/2025$"
t_out "show: primary need with its name" \
    "^Needs: *1 SLCN Speech, language and communication needs$"
t_out "show: secondary need" "^ *2 ASD Autistic spectrum disorder$"
t_out "show: status history" "^01/09/2025 *K SEN support"
t_out "show: no cycle yet" "^No open cycle\.$"
t_ok "show by a lower-case UPN" pupil show "$(echo "$UPN1" | tr B b)"
t_ok "show the preferred name" pupil show "$UPN3"
t_out "show: preferred name first" "^Nowak, Luke$"
t_out "show: legal name" "^Legal name: *Łukasz Nowak$"

# --- edit -----------------------------------------------------------------------
t_ok "edit the year and class" pupil edit "$UPN1" --year 5 --class 5C
t_out "edit confirms" "^Updated Brown, Zoë ($UPN1)\.$"
t_ok "show after edit" pupil list --format csv
t_out "year changed, the rest kept" "^$UPN1,Brown,Zoë,5,K,SLCN,PP EAL,"
t_ok "edit the status (history kept)" pupil edit "$UPN1" --status E \
    --since 01/01/2026
t_ok "show the history" pupil show "$UPN1"
t_out "old status closed the day before" "^01/09/2025  31/12/2025  K SEN support"
t_out "new status open" "^01/01/2026  *E EHC plan"
t_out "needs kept when not given" "^Needs: *1 SLCN"
t_ok "edit the needs" pupil edit "$UPN1" --need ASD
t_ok "list after the needs edit" pupil list --format csv
t_out "needs replaced" "^$UPN1,Brown,Zoë,5,E,ASD,"
t_ok "edit flags to none" pupil edit "$UPN1" --flags none
t_ok "list after flags" pupil list --format csv
t_out "flags cleared" "^$UPN1,Brown,Zoë,5,E,ASD,,"

# --- archive ----------------------------------------------------------------------
t_ok "archive a pupil" pupil archive "$UPN4" --left 20/12/2025
t_out "archive confirms" "^Archived Nguyễn, Siobhán ($UPN4) (left 20/12/2025)\.$"
t_ok "list without archived" pupil list --all --format csv
t_no_out "the archived pupil is hidden" "^$UPN4,"
t_ok "list with archived" pupil list --all --archived --format csv
t_out "the archived pupil shows with --archived" "^$UPN4,.*,yes$"
t_ok "show says archived" pupil show "$UPN4"
t_out "show: left" "^On roll: *archived, left 20/12/2025$"
t_ok "bring back" pupil archive "$UPN4" --undo
t_out "undo confirms" "^Brought Nguyễn, Siobhán ($UPN4) back onto the roll\.$"
t_ok "list after undo" pupil list --all --format csv
t_out "back on the roll" "^$UPN4,"

# --- refusals: each is one line, the right status, nothing written -------------
snapshot
ADD="pupil add --surname X --forename Y --year 4"
t_fail 65 "senco: UPN '$BADUPN' has the wrong check letter*1510*" \
    "a bad check letter" $ADD --upn "$BADUPN" --dob 2016-01-01
t_fail 65 "senco: UPN 'B80120000500' must be 13 characters*" \
    "a short UPN" $ADD --upn B80120000500 --dob 2016-01-01
t_fail 65 "senco: date of birth: '1/2/26' is not a date (use DD/MM/YYYY or YYYY-MM-DD)" \
    "a two-digit year is ambiguous" $ADD --upn "$UPN4" --dob 1/2/26
t_fail 65 "senco: date of birth: '31/02/2026' is not a real date" \
    "an impossible date" $ADD --upn "$UPN4" --dob 31/02/2026
t_fail 65 "senco: date of birth: '2016-1-5' is not a date (use DD/MM/YYYY or YYYY-MM-DD)" \
    "a half-ISO date" $ADD --upn "$UPN4" --dob 2016-1-5
t_fail 65 "senco: type of need 'XYZ' is not a census code*" \
    "an unknown need code" $ADD --upn "$UPN4" --dob 2016-01-01 --status K \
    --need XYZ
t_fail 65 "senco: year group '15' is not N1, N2, R, *" \
    "an impossible year group" pupil add --upn "$UPN4" --surname X \
    --forename Y --dob 2016-01-01 --year 15
t_fail 65 "senco: SEN status 'Q' is not N, K or E" \
    "an unknown status" $ADD --upn "$UPN4" --dob 2016-01-01 --status Q
t_fail 65 "senco: flag 'SEN' is not PP, FSM, CiC or EAL" \
    "an unknown flag" $ADD --upn "$UPN4" --dob 2016-01-01 --flags PP,SEN
t_fail 65 "senco: attendance: 120 is not a percentage from 0 to 100" \
    "attendance over 100" $ADD --upn "$UPN4" --dob 2016-01-01 \
    --attendance 120
t_fail 65 "senco: gender: 'X' is not M, F or unknown" \
    "an unknown gender" $ADD --upn "$UPN4" --dob 2016-01-01 --gender X
t_fail 65 "senco: pupil $UPN4: a pupil with SEN status K needs a primary type of need" \
    "a K pupil needs a need" \
    $ADD --upn "$UPN4" --dob 2016-01-01 --status K
t_fail 65 "senco: UPN $UPN1: already belongs to Brown, Zoë" \
    "a UPN already in the caseload" \
    $ADD --upn "$UPN1" --dob 2016-01-01
t_fail 64 "senco: pupil add: missing --dob (see 'senco help pupil add')" \
    "a missing required option" $ADD --upn "$UPN4"
t_fail 64 "senco: pupil add: missing --upn (see 'senco help pupil add')" \
    "a missing UPN" $ADD --dob 2016-01-01
t_fail 64 "senco: pupil add: unknown option '--colour' (see 'senco help pupil add')" \
    "an unknown option" $ADD --upn "$UPN4" --dob 2016-01-01 --colour red
t_fail 64 "senco: pupil add: option '--dob' needs a value (see 'senco help pupil add')" \
    "an option without its value" $ADD --upn "$UPN4" --dob
t_fail 64 "senco: pupil add: --since goes with --status (see 'senco help pupil add')" \
    "--since alone" $ADD --upn "$UPN4" --dob 2016-01-01 --since 2025-01-01
t_fail 64 "senco: pupil add: unexpected argument 'extra' (see 'senco help pupil add')" \
    "a stray argument" $ADD --upn "$UPN4" --dob 2016-01-01 extra
t_fail 77 "senco: pupil add: the caseload is open read-only (--read-only); nothing was changed" \
    "add under --read-only" --read-only $ADD --upn "$UPN4" --dob 2016-01-01
t_fail 66 "senco: UPN H801200005005: no such pupil in $DB" \
    "show an unknown UPN" pupil show H801200005005
t_fail 65 "senco: UPN '$BADUPN' has the wrong check letter*" \
    "show a mistyped UPN" pupil show "$BADUPN"
t_fail 64 "senco: pupil show: missing UPN (see 'senco help pupil show')" \
    "show without a UPN" pupil show
t_fail 64 "senco: pupil edit: nothing to change (give the fields to change, e.g. --year 5) (see 'senco help pupil edit')" \
    "edit with no fields" pupil edit "$UPN1"
t_fail 65 "senco: date of birth: '30/02/2016' is not a real date" \
    "edit to an impossible date" pupil edit "$UPN1" --dob 30/02/2016
t_fail 65 "senco: type of need 'DYS' is not a census code*" \
    "edit to an unknown need" pupil edit "$UPN1" --need DYS
t_fail 66 "senco: UPN H801200005005: no such pupil in $DB" \
    "edit an unknown pupil" pupil edit H801200005005 --year 3
t_fail 77 "senco: pupil edit: the caseload is open read-only (--read-only); nothing was changed" \
    "edit under --read-only" --read-only pupil edit "$UPN1" --year 6
t_fail 64 "senco: pupil archive: --left and --undo do not go together (see 'senco help pupil archive')" \
    "archive --left with --undo" pupil archive "$UPN1" --left 2026-01-01 --undo
t_fail 65 "senco: date left: '2026-13-01' is not a real date" \
    "archive on an impossible date" pupil archive "$UPN1" --left 2026-13-01
t_fail 77 "senco: pupil archive: the caseload is open read-only (--read-only); nothing was changed" \
    "archive under --read-only" --read-only pupil archive "$UPN1"
t_fail 64 "senco: pupil list: format 'xml' is not table, csv or tsv (see 'senco help pupil list')" \
    "list in an unknown format" pupil list --format xml
t_fail 65 "senco: type of need 'FOO' is not a census code*" \
    "list by an unknown need" pupil list --need FOO
t_unchanged "no refusal wrote anything"
t_ok "reading works under --read-only" --read-only pupil list --all

# --- a temporary UPN replaced by the permanent one -----------------------------
t_ok "replace a temporary UPN" pupil edit "$TEMPUPN" --upn L801200005007
t_out "edit confirms with the new UPN" "^Updated O'Neill, Aoife (L801200005007)\.$"
t_ok "list after the new UPN" pupil list --all --format csv
t_out "the new UPN is listed" "^L801200005007,O'Neill,Aoife,"
t_no_out "the temporary UPN is gone" "^$TEMPUPN,"
t_fail 65 "senco: UPN $UPN1: already belongs to Brown, Zoë" \
    "a UPN cannot be taken from another pupil" pupil edit L801200005007 \
    --upn "$UPN1"

# --- another user saving: busy, try again ------------------------------------
if command -v sqlite3 >/dev/null 2>&1; then
	snapshot
	# Hold the write lock for longer than senco's busy timeout.
	(printf 'BEGIN IMMEDIATE;\nSELECT 1;\n'; sleep 8) |
	    sqlite3 "$DB" >/dev/null 2>&1 &
	locker=$!
	sleep 1
	t_fail 75 "senco: *busy*try again" "a locked caseload is busy (75)" \
	    pupil edit "$UPN1" --year 6
	kill "$locker" 2>/dev/null
	wait "$locker" 2>/dev/null
	t_unchanged "the busy edit wrote nothing"
	t_ok "the same edit works once the lock is gone" pupil edit "$UPN1" \
	    --year 6
else
	skip "a locked caseload is busy (75)" "no sqlite3 tool"
	skip "the busy edit wrote nothing" "no sqlite3 tool"
	skip "the same edit works once the lock is gone" "no sqlite3 tool"
fi

finish
