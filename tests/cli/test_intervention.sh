#!/bin/sh
# test_intervention.sh: senco intervention add|list|enrol|exit: the
# catalogue, enrolments with their costs, entry and exit measures, and the
# refusals.
. "$SENCO_SRCDIR/tests/lib.sh"

t_ok "init" init
t_ok "add Zoë" pupil add --upn "$UPN1" --surname Brown --forename Zoë \
    --dob 03/04/2016 --year 4 --status K --need SLCN
t_ok "add Wei" pupil add --upn "$UPN2" --surname 李 --forename Wei \
    --dob 2015-02-01 --year 5 --status E --need SEMH

# --- the catalogue ----------------------------------------------------------------
t_ok "add an hourly-costed intervention" intervention add \
    --name "Precision teaching" --area CL --cost-per-hour 18.50 \
    --description "Ten minutes a day, charted" \
    --evidence "https://example.org/pt"
t_out "add confirms the cost" \
    "^Added 'Precision teaching' to the catalogue at £18.50 per hour\.$"
t_ok "add a per-session intervention in pounds sign form" intervention add \
    --name "Lego therapy" --area SEMH --cost-per-session £12
t_out "per session" "at £12.00 per session\.$"
t_ok "add a free intervention" intervention add --name "Buddy reading" \
    --cost-per-session 0
t_ok "list the catalogue" intervention list
t_out "aligned: right-aligned cost" "^Lego therapy  *SEMH  *£12.00  session  *0$"
t_out "aligned: hourly" "^Precision teaching  *CL  *£18.50  hour  *0$"
t_ok "list the catalogue as CSV" intervention list --format csv
t_out "CSV header" "^Name,Area,Cost,Per,Pupils,Description,Evidence,Retired$"
t_out "CSV: plain numbers, all fields" \
    "^Precision teaching,CL,18.50,hour,0,\"Ten minutes a day, charted\",https://example.org/pt,no$"
t_out "CSV: free" "^Buddy reading,,0.00,session,0,,,no$"

# --- enrol ----------------------------------------------------------------------
# 18.50 an hour for 10 minutes is 308p a session; 5 a week for 39 weeks.
t_ok "enrol on an age measure" intervention enrol "$UPN1" "precision teaching" \
    --start 01/12/2025 --sessions 5 --minutes 10 --staff "Mrs Okafor" \
    --measure "Salford reading age" --measure-kind age --entry 6:08 \
    --end 2026-03-01
t_out "enrol confirms the yearly cost" \
    "^Enrolled Brown, Zoë ($UPN1) in 'Precision teaching' (£600.60 a year)\.$"
# 12.00 a session shared by a group of 3: 400p, once a week.
t_ok "enrol in a group" intervention enrol "$UPN1" "Lego therapy" \
    --start 2026-01-05 --sessions 1 --minutes 45 --group 3 --entry 10 \
    --staff "Mr Ó Briain"
t_out "group cost" "(£156.00 a year)\.$"
t_ok "enrol another pupil" intervention enrol "$UPN2" "Lego therapy" \
    --start 2026-01-05 --sessions 1 --minutes 45 --group 3
t_ok "list with pupils" intervention list --format csv
t_out "two pupils in Lego therapy" "^Lego therapy,SEMH,12.00,session,2,"
t_out "one in precision teaching" "^Precision teaching,CL,18.50,hour,1,"
t_ok "the register has the cost" pupil list --format csv
t_out "cost per year in the register" "^$UPN1,Brown,Zoë,.*,756.60,no,no$"
t_ok "show the provision" pupil show "$UPN1"
t_out "show: the enrolment" \
    "^Precision teaching (Mrs Okafor): 5 x 10 min a week, 1:1, 01/12/2025 to 01/03/2026, running: £600.60 a year$"
t_out "show: the entry age" "^  Salford reading age: entry 6:08$"
t_out "show: the group" "^Lego therapy (Mr Ó Briain): 1 x 45 min a week, group of 3, "
t_out "show: total" "^Provision now running: £756.60 a year\.$"

# --- exit ------------------------------------------------------------------------
t_ok "exit with a score" intervention exit "$UPN1" "Precision teaching" \
    --score 7:02 --date 15/01/2026
t_out "exit gives the impact" \
    "^Brown, Zoë ($UPN1) left 'Precision teaching'\. Impact: +6 months on Salford reading age\."
t_ok "show after exit" pupil show "$UPN1"
t_out "show: ended" "^Precision teaching (Mrs Okafor): .*, ended$"
t_out "show: entry, exit, impact" \
    "^  Salford reading age: entry 6:08, exit 7:02, impact +6 months"
t_out "show: only the group runs now" "^Provision now running: £156.00 a year\.$"
t_ok "exit a score measure" intervention exit "$UPN1" "Lego therapy" \
    --score 8
t_out "a fall shows its sign" "Impact: -2\.$"
t_ok "list after exits" intervention list --format csv
t_out "one pupil left in Lego therapy" "^Lego therapy,SEMH,12.00,session,1,"

# --- refusals ----------------------------------------------------------------------
snapshot
t_fail 65 "senco: intervention 'precision TEACHING': the catalogue already has an intervention of that name" \
    "a name already in the catalogue" \
    intervention add --name "precision TEACHING" --cost-per-hour 10
t_fail 64 "senco: intervention add: give the cost once: --cost-per-session GBP (a session of the group) or --cost-per-hour GBP (staff time) (see 'senco help intervention add')" \
    "both costs" intervention add --name Yoga --cost-per-hour 10 \
    --cost-per-session 5
t_fail 64 "senco: intervention add: give the cost once: *" \
    "no cost" intervention add --name Yoga
t_fail 64 "senco: intervention add: missing --name (see 'senco help intervention add')" \
    "no name" intervention add --cost-per-hour 10
t_fail 65 "senco: --cost-per-hour: '12.345' is not an amount in pounds (e.g. 12.50)" \
    "a cost with three decimals" intervention add --name Yoga \
    --cost-per-hour 12.345
t_fail 65 "senco: --cost-per-session: '-5' is not an amount in pounds (e.g. 12.50)" \
    "a negative cost" intervention add --name Yoga --cost-per-session -5
t_fail 65 "senco: broad area 'ZZ' is not CI, CL, SEMH *" \
    "an unknown area" intervention add --name Yoga --area ZZ \
    --cost-per-hour 10
t_fail 66 "senco: intervention 'Yoga': not in the catalogue (see 'senco intervention list')" \
    "enrol in an unknown intervention" intervention enrol "$UPN1" Yoga \
    --start 2026-01-05 --sessions 1 --minutes 30
t_fail 64 "senco: intervention enrol: missing --start (see 'senco help intervention enrol')" \
    "enrol without a start" intervention enrol "$UPN2" "Buddy reading" \
    --sessions 1 --minutes 30
t_fail 64 "senco: intervention enrol: missing --sessions (sessions per week) (see 'senco help intervention enrol')" \
    "enrol without sessions" intervention enrol "$UPN2" "Buddy reading" \
    --start 2026-01-05 --minutes 30
t_fail 65 "senco: sessions per week: '0' is not a whole number from 1 to 50" \
    "zero sessions" intervention enrol "$UPN2" "Buddy reading" \
    --start 2026-01-05 --sessions 0 --minutes 30
t_fail 65 "senco: group size: 'three' is not a whole number from 1 to 100" \
    "a group size in words" intervention enrol "$UPN2" "Buddy reading" \
    --start 2026-01-05 --sessions 1 --minutes 30 --group three
t_fail 65 "senco: start date: '2026-02-29' is not a real date" \
    "enrol on 29 February of a common year" intervention enrol "$UPN2" \
    "Buddy reading" --start 2026-02-29 --sessions 1 --minutes 30
t_fail 65 "senco: measure kind 'level' is not score, age or rating" \
    "an unknown measure kind" intervention enrol "$UPN2" "Buddy reading" \
    --start 2026-01-05 --sessions 1 --minutes 30 --measure-kind level
t_fail 65 "senco: entry score: '13' is not a whole number from 0 to 11" \
    "an age with 13 months" intervention enrol "$UPN2" "Buddy reading" \
    --start 2026-01-05 --sessions 1 --minutes 30 --measure-kind age \
    --entry 7:13
t_fail 65 "senco: entry score: 'lots' is not a number" \
    "an entry score that is not a number" intervention enrol "$UPN2" \
    "Buddy reading" --start 2026-01-05 --sessions 1 --minutes 30 \
    --entry lots
t_fail 64 "senco: intervention enrol: missing NAME (of the intervention) (see 'senco help intervention enrol')" \
    "enrol without a name" intervention enrol "$UPN2" --start 2026-01-05 \
    --sessions 1 --minutes 30
t_fail 66 "senco: UPN H801200005005: no such pupil in $DB" \
    "enrol an unknown pupil" intervention enrol H801200005005 "Buddy reading" \
    --start 2026-01-05 --sessions 1 --minutes 30
t_fail 65 "senco: intervention exit: Brown, Zoë ($UPN1) is not in 'Precision teaching' now (see 'senco pupil show $UPN1')" \
    "exit twice" intervention exit "$UPN1" "Precision teaching" --score 90
t_fail 64 "senco: intervention exit: missing --score (the exit measure) (see 'senco help intervention exit')" \
    "exit without a score" intervention exit "$UPN2" "Lego therapy"
t_fail 65 "senco: exit score: 'ten' is not a number" \
    "an exit score in words" intervention exit "$UPN2" "Lego therapy" \
    --score ten
t_fail 77 "senco: intervention add: the caseload is open read-only (--read-only); nothing was changed" \
    "add under --read-only" --read-only intervention add --name Yoga \
    --cost-per-hour 10
t_fail 77 "senco: intervention enrol: the caseload is open read-only (--read-only); nothing was changed" \
    "enrol under --read-only" --read-only intervention enrol "$UPN2" \
    "Buddy reading" --start 2026-01-05 --sessions 1 --minutes 30
t_fail 64 "senco: intervention list: format 'json' is not table, csv or tsv (see 'senco help intervention list')" \
    "list in an unknown format" intervention list --format json
t_unchanged "no refusal wrote anything"
t_ok "archive Wei" pupil archive "$UPN2"
snapshot
t_fail 65 "senco: enrolment: the pupil has left (archived); bring them back first" \
    "an archived pupil cannot be enrolled" \
    intervention enrol "$UPN2" "Buddy reading" --start 2026-01-05 \
    --sessions 1 --minutes 30
t_unchanged "the refused enrolment wrote nothing"

finish
