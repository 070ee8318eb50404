#!/bin/sh
# test_record.sh: senco note|exclusion|agency add|list: the contact log,
# exclusions and outside agencies, CSV output that a spreadsheet cannot
# run, and the refusals.
. "$SENCO_SRCDIR/tests/lib.sh"

t_ok "init" init
t_ok "add Zoë" pupil add --upn "$UPN1" --surname Brown --forename Zoë \
    --dob 03/04/2016 --year 4 --status K --need SLCN
t_ok "add Wei" pupil add --upn "$UPN2" --surname 李 --forename Wei \
    --dob 2015-02-01 --year 5 --status E --need SEMH

# --- notes --------------------------------------------------------------------
t_ok "add a note" note add "$UPN1" --text "Phoned mum about reading" \
    --kind phone --date 12/01/2026
t_out "note confirms" "^Noted a phone for Brown, Zoë ($UPN1) on 12/01/2026\.$"
t_ok "add a note dated today, of the default kind" note add "$UPN1" \
    --text "=HYPERLINK(\"http://example.org\",\"click\")"
t_out "today and other" "^Noted a other for Brown, Zoë ($UPN1) on 15/01/2026\.$"
t_ok "add a meeting note in capitals" note add "$UPN1" --kind MEETING \
    --text "Review meeting: agreed, with dad, to try a reading buddy" \
    --date 2026-01-14
t_ok "list notes" note list "$UPN1"
t_out "newest first" "^15/01/2026  other"
t_out "the meeting" "^14/01/2026  meeting  .*Review meeting: agreed, with dad"
t_ok "list notes as CSV" note list "$UPN1" --format csv
t_out "CSV header" "^Date,Kind,By,Text$"
t_out "CSV neutralises a formula and quotes it" \
    "^2026-01-15,other,[^,]*,\"'=HYPERLINK(\"\"http://example.org\"\",\"\"click\"\")\"$"
t_out "CSV quotes commas" "^2026-01-14,meeting,[^,]*,\"Review meeting: agreed, with dad, to try a reading buddy\"$"
t_ok "list notes as TSV" note list "$UPN1" --format tsv
t_out "TSV neutralises too" "^2026-01-15	other	.*	'=HYPERLINK"
t_ok "a pupil with no notes" note list "$UPN2" --format csv
t_check "just the header" sh -c "test \$(wc -l <'$OUT') -eq 1"
t_ok "show has the notes" pupil show "$UPN1"
t_out "show: note text" "^  Phoned mum about reading$"

# --- exclusions ------------------------------------------------------------------
t_ok "a suspension" exclusion add "$UPN2" --date 05/01/2026 --kind suspension \
    --sessions 2 --reason "Fight at lunch"
t_out "suspension confirms" "^Recorded a suspension of 李, Wei ($UPN2) on 05/01/2026\.$"
t_ok "a permanent exclusion" exclusion add "$UPN2" --date 2026-01-14 \
    --kind permanent --reason "@SUM(1+1)"
t_ok "list exclusions" exclusion list "$UPN2"
t_out "aligned suspension" "^05/01/2026  suspension  *2  Fight at lunch$"
t_ok "list exclusions as CSV" exclusion list "$UPN2" --format csv
t_out "CSV permanent, reason neutralised" "^2026-01-14,permanent,,'@SUM(1+1)$"
t_out "CSV suspension" "^2026-01-05,suspension,2,Fight at lunch$"
t_ok "show has the exclusions" pupil show "$UPN2"
t_out "show: exclusion" "^05/01/2026  suspension  *2  Fight at lunch$"

# --- agencies -------------------------------------------------------------------
t_ok "an agency referral" agency add "$UPN1" --agency salt \
    --referred 01/10/2025 --notes "Waiting list 12 weeks"
t_out "the configured spelling, status referred" \
    "^Recorded SALT involvement for Brown, Zoë ($UPN1) (referred)\.$"
t_ok "an agency with advice" agency add "$UPN1" --agency "Educational psychologist" \
    --referred 2025-09-15 --advice 2025-12-01 --notes "Visual timetable"
t_out "advice means advice received" "(advice received)\.$"
t_ok "an agency with a status" agency add "$UPN2" --agency CAMHS \
    --referred 2025-11-01 --status Involved
t_ok "list agencies" agency list "$UPN1" --format csv
t_out "CSV header" "^Agency,Referred,Status,Advice,Notes$"
t_out "SALT" "^SALT,2025-10-01,referred,,Waiting list 12 weeks$"
t_out "EP" "^Educational psychologist,2025-09-15,advice received,2025-12-01,Visual timetable$"
t_ok "list agencies of Wei" agency list "$UPN2"
t_out "aligned" "^CAMHS  *01/11/2025  involved"
t_ok "show has the agencies" pupil show "$UPN1"
t_out "show: agency" "^SALT  *01/10/2025  referred"

# --- refusals --------------------------------------------------------------------
snapshot
t_fail 64 "senco: note add: missing --text (see 'senco help note add')" \
    "a note without text" note add "$UPN1"
t_fail 65 "senco: note kind 'fax' is not meeting, phone, email, letter or other" \
    "an unknown note kind" note add "$UPN1" --text hi --kind fax
t_fail 65 "senco: note date: '12/13/2025' is not a real date" \
    "a US-style date" note add "$UPN1" --text hi --date 12/13/2025
t_fail 65 "senco: note date: '5 Jan 2026' is not a date (use DD/MM/YYYY or YYYY-MM-DD)" \
    "a date in words" note add "$UPN1" --text hi --date "5 Jan 2026"
t_fail 66 "senco: UPN H801200005005: no such pupil in $DB" \
    "a note for an unknown pupil" note add H801200005005 --text hi
t_fail 65 "senco: UPN 'B8012000050' must be 13 characters*" \
    "a note for a short UPN" note list B8012000050
t_fail 64 "senco: note list: missing UPN (see 'senco help note list')" \
    "note list without a UPN" note list
t_fail 64 "senco: exclusion add: missing --date (see 'senco help exclusion add')" \
    "an exclusion without a date" exclusion add "$UPN2" --kind permanent
t_fail 64 "senco: exclusion add: missing --kind (suspension or permanent) (see 'senco help exclusion add')" \
    "an exclusion without a kind" exclusion add "$UPN2" --date 2026-01-05
t_fail 65 "senco: exclusion kind 'expelled' is not suspension or permanent" \
    "an unknown exclusion kind" exclusion add "$UPN2" --date 2026-01-05 \
    --kind expelled
t_fail 64 "senco: exclusion add: a suspension needs --sessions (half days missed) (see 'senco help exclusion add')" \
    "a suspension without sessions" exclusion add "$UPN2" --date 2026-01-05 \
    --kind suspension
t_fail 64 "senco: exclusion add: --sessions is for suspensions (see 'senco help exclusion add')" \
    "a permanent exclusion with sessions" exclusion add "$UPN2" \
    --date 2026-01-05 --kind permanent --sessions 2
t_fail 65 "senco: sessions: '0' is not a whole number from 1 to 90" \
    "zero sessions" exclusion add "$UPN2" --date 2026-01-05 \
    --kind suspension --sessions 0
t_fail 64 "senco: agency add: missing --agency (e.g. EP, SALT, CAMHS) (see 'senco help agency add')" \
    "an agency without a name" agency add "$UPN1" --referred 2026-01-05
t_fail 64 "senco: agency add: missing --referred (the referral date) (see 'senco help agency add')" \
    "an agency without a referral date" agency add "$UPN1" --agency EP
t_fail 65 "senco: agency status 'waiting' is not referred, involved, advice received or closed" \
    "an unknown agency status" agency add "$UPN1" --agency EP \
    --referred 2026-01-05 --status waiting
t_fail 65 "senco: advice date: '2026-00-10' is not a real date" \
    "an impossible advice date" agency add "$UPN1" --agency EP \
    --referred 2026-01-05 --advice 2026-00-10
t_fail 77 "senco: note add: the caseload is open read-only (--read-only); nothing was changed" \
    "a note under --read-only" --read-only note add "$UPN1" --text hi
t_fail 77 "senco: exclusion add: the caseload is open read-only (--read-only); nothing was changed" \
    "an exclusion under --read-only" --read-only exclusion add "$UPN2" \
    --date 2026-01-05 --kind permanent
t_fail 77 "senco: agency add: the caseload is open read-only (--read-only); nothing was changed" \
    "an agency under --read-only" --read-only agency add "$UPN1" --agency EP \
    --referred 2026-01-05
t_fail 64 "senco: exclusion list: format 'html' is not table, csv or tsv (see 'senco help exclusion list')" \
    "exclusions in an unknown format" exclusion list "$UPN2" --format html
t_fail 64 "senco: note: no subcommand 'delete' (try add or list)" \
    "an unknown note subcommand" note delete "$UPN1"
t_unchanged "no refusal wrote anything"
t_ok "listing works under --read-only" --read-only note list "$UPN1"

finish
