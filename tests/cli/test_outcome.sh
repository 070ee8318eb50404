#!/bin/sh
# test_outcome.sh: senco results import|list, senco attendance import|list,
# senco report gap and senco report attendance on a small roll (the
# figures are worked out by hand in tests/test_outcome.c): refused rows
# listed as file:line: column: why with nothing written, --dry-run,
# --skip-bad, the national figures from the config and the gap written
# "33 (Gap = 8%)".
. "$SENCO_SRCDIR/tests/lib.sh"

D=$SENCO_SRCDIR/tests/data/outcome
mkdir -p "$XDG_CONFIG_HOME/senco"
cp "$D/senco.conf" "$XDG_CONFIG_HOME/senco/senco.conf"

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

SENCO_TODAY=2026-09-01
t_ok "init" init
t_ok "the whole roll, status N too" import "$D/roll.csv"
SENCO_TODAY=2027-01-20

# --- refusals: nothing written -------------------------------------------------------
snapshot
run results import "$D/bad_results.csv"
t_rc "a file with refused rows exits 65" 65
t_err "a UPN not in the caseload" \
    "^$D/bad_results.csv:3: UPN: G801200005099 is not in the caseload (import the pupil list first"
t_err "a wrong check letter" \
    "^$D/bad_results.csv:4: UPN: UPN 'B801200005002' has the wrong check letter"
t_err "no subject" "^$D/bad_results.csv:5: Subject: missing$"
t_err "no point" "^$D/bad_results.csv:6: Assessment Point: missing$"
t_err "not a band" \
    "^$D/bad_results.csv:7: Result: 'Secure' is not a band of the scale (PKF, BLW, HNM, WTS, EXS, GDS), a score or an age"
t_err "not a plausible score" \
    "^$D/bad_results.csv:8: Result: 8.6 is not a plausible score (40 to 200)"
t_err "the same result twice" \
    "^$D/bad_results.csv:9: UPN: B801200005001 has a reading result for ks2 2026 already (line 2)$"
t_check "only the refused rows are listed" \
    test "$(grep -c "^$D/bad_results.csv:[0-9]*: " "$ERR")" -eq 7
t_err "the last line says nothing was written" \
    "^senco: .*bad_results.csv: 7 results refused; nothing was written (fix the rows listed, or use --skip-bad"
t_out "the summary" "8 results read: 1 to add, 0 to change, 0 unchanged, 7 refused\.$"
t_unchanged "nothing was written from the refused results"

run attendance import "$D/bad_attendance.csv"
t_rc "refused attendance exits 65" 65
t_err "attended more than possible" \
    "^$D/bad_attendance.csv:3: Attended: 130 is more than the 120 sessions possible$"
t_err "over 100%" \
    "^$D/bad_attendance.csv:4: Attendance %: '101' is not a percentage from 0 to 100$"
t_err "an unknown term" \
    "^$D/bad_attendance.csv:5: Term: 'Autum 2026' is not a term (Autumn, Spring or Summer and a year, e.g. Autumn 2026)$"
t_err "a term not begun" \
    "^$D/bad_attendance.csv:6: Term: Summer 2027 has not begun"
t_err "attended missing" \
    "^$D/bad_attendance.csv:7: Attended: missing (sessions possible and attended go together)$"
t_err "nothing written" \
    "^senco: .*bad_attendance.csv: 5 attendance records refused; nothing was written"
t_unchanged "nothing was written from the refused attendance"

run results import "$D/no_point.csv"
t_rc "a missing column exits 65" 65
t_err "the missing column and the header" \
    "^senco: .*no_point.csv:1: no column for: assessment point; the header line is: UPN,Subject,Result$"
t_check "one line only" test "$(wc -l <"$ERR")" -eq 1
run results import "$T/nowhere.csv"
t_rc "a missing file exits 66" 66
t_fail 64 "senco: results import: missing FILE (see 'senco help results import')" \
    "no file named" results import
t_fail 64 "senco: attendance import: unknown option '--force' (see 'senco help attendance import')" \
    "an unknown option" attendance import --force "$D/attendance.csv"
run --read-only results import "$D/results.csv"
t_rc "read-only refuses an import" 77
t_unchanged "nothing was written by any refusal"

# --- dry run, skip-bad, the real thing -----------------------------------------------------
run results import --dry-run "$D/results.csv"
t_rc "a dry run exits 0" 0
t_out "a dry run lists what it would add" \
    "results.csv:2: added B801200005001: KS2 2026 reading: 110$"
t_out "and says nothing was written" "^Dry run: nothing was written\.$"
t_err "the unused column is noticed" \
    "results.csv:1: column not used: 'Forename'$"
t_unchanged "a dry run writes nothing"

run results import --skip-bad "$D/bad_results.csv"
t_rc "--skip-bad exits 0" 0
t_out "--skip-bad writes the good row" "1 added, 0 changed, 0 unchanged, 7 refused\.$"
t_err "and warns" "^senco: warning: 7 results refused and left out (listed above)$"

run results import "$D/results.csv"
t_rc "the results of the roll" 0
t_out "27 read, one replacing the --skip-bad one" "27 results read: 26 added, 1 changed, 0 unchanged, 0 refused\.$"
run results import "$D/phonics_cp1252.csv"
t_rc "a Windows-1252 file" 0
t_out "read as Windows-1252" "phonics_cp1252.csv (CSV, Windows-1252): 2 results read: 2 added"
t_ok "attendance" attendance import "$D/attendance.csv"
t_out "12 records" "12 attendance records read: 12 added"
t_ok "again: unchanged" attendance import "$D/attendance.csv"
t_out "nothing changed" "0 to add, 0 to change, 12 unchanged, 0 refused\.$"

t_ok "a pupil's results" results list B801200005001
t_out "judged" "^KS2 2026  *reading  *110  *score  *greater depth$"
t_out "a band" "^KS2 2026  *writing  *GDS  *band  *greater depth$"
t_out "phonics" "^Y1 2021  *phonics  *WA  *band  *expected$"
t_ok "as CSV" results list P801200005009 --format csv
t_out "CSV header" "^Point,Subject,Result,Type,Date,Standard$"
t_out "below" "^KS2 2026,writing,WTS,band,,below$"
t_ok "a pupil's attendance" attendance list E801200005003
t_out "sessions and persistence" "^Autumn 2026  *200  *179  *89.5  *yes$"
t_fail 66 "senco: UPN T801200005013: no such pupil in $DB" \
    "an unknown pupil" results list T801200005013

# --- the gap ----------------------------------------------------------------------------
t_ok "report gap" report gap
t_out "the school" "^Hillside Primary$"
t_out "reading, the national figure for K" \
    "^SEN support (K)  *3  *33 (Gap = 8%)  *41  *0 (Gap = 6%)  *6  *95.7$"
t_out "no SEN above national" \
    "^No SEN (N)  *4  *75 (Gap = -1%)  *74  *25 (Gap = 3%)  *28  *103.5  *105$"
t_out "the combined figure" "^KS2 2026: reading, writing and maths combined$"
t_out "all pupils combined" "^All pupils  *9  *22 (Gap = 39%)  *61"
t_out "K's national is said" "^National figures for SEN support (K) are those"
t_ok "report gap as CSV" report gap --format csv --subject Reading
t_out "CSV header" "^School,Date,Point,Subject,Group,Pupils,Expected,Expected %,National expected %,Expected gap,Greater depth,Greater depth %,National greater depth %,Greater depth gap,Mean score,National mean score,National group$"
t_out "CSV K row" "^Hillside Primary,2027-01-20,KS2 2026,reading,K,3,1,33.3,41,8,0,0.0,6,6,95.7,,K$"
t_out "CSV all row" "^Hillside Primary,2027-01-20,KS2 2026,reading,All,9,5,55.6,74,18,1,11.1,28,17,99.3,105,all$"
t_no_out "only reading" ",maths,"
t_ok "report gap in markdown" report gap --format md --point "ks2 2026" --subject rwm
t_out "a markdown heading" "^### KS2 2026: reading, writing and maths combined$"
t_out "a markdown row" "^| EHC plan (E) | 2 | 0 (Gap = 61%) | 61 |"
t_ok "a point with no results" report gap --point "KS1 2020"
t_out "says so" "^No results recorded for that (senco results import)\.$"
t_fail 64 "senco: report gap: --term is not an option of this report (see 'senco help report gap')" \
    "gap takes no term" report gap --term "Autumn 2026"

# --- attendance --------------------------------------------------------------------------
t_ok "report attendance" report attendance
t_out "by status" "^SEN support (K)  *3  *89.0%  *1  *33.3%$"
t_out "no SEN" "^No SEN (N)  *4  *95.8%  *1  *25.0%$"
t_out "by need" "^ASD  *1  *80.0%  *1  *100.0%$"
t_out "every term" "^Spring 2026  *97.0%  *88.0%  *85.0%  *90.0%  *9.0  *12.0"
t_ok "report attendance for a term" report attendance --term "spring 2025/26" --format csv
t_out "the term's figures" "^Hillside Primary,2027-01-20,\"By SEN status, Spring 2026\",All pupils,3,90.0,2,66.7,"
t_fail 66 "senco: attendance: none is recorded for Summer 2026" \
    "a term with none" report attendance --term "Summer 2026"
t_fail 65 "senco: 'Easter 2026' is not a term (Autumn, Spring or Summer and a year, e.g. Autumn 2026)" \
    "not a term" report attendance --term "Easter 2026"
t_fail 64 "senco: report attendance: --point is not an option of this report (see 'senco help report attendance')" \
    "attendance takes no point" report attendance --point "KS2 2026"

t_ok "help" help results import
t_out "the columns" "^Columns: UPN, Subject, Assessment Point"

finish
