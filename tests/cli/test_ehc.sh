#!/bin/sh
# test_ehc.sh: senco ehc add|edit|step|list|show|review|plan|reviews, the
# request a review decides (senco cycle close --decision ehc), and the EHC
# plans beside the cycle reviews in senco report reviews: the statutory
# dates (6, 16, 20 weeks through the Christmas holiday), OVERDUE marked
# with the days, and every refusal with nothing written.
. "$SENCO_SRCDIR/tests/lib.sh"

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
t_ok "Zoë, year 6, SEN support" pupil add --upn "$UPN1" --surname Brown \
    --forename Zoë --dob 03/04/2015 --year 6 --status K --need SLCN
t_ok "Wei, year 5, SEN support" pupil add --upn "$UPN2" --surname 李 \
    --forename Wei --dob 2016-02-01 --year 5 --status K --need ASD
t_ok "Łukasz, not on the register" pupil add --upn "$UPN3" \
    --surname Kowalski --forename Łukasz --dob 2016-05-05 --year 5
t_ok "Siobhán, year 9, SEN support" pupil add --upn "$UPN4" \
    --surname "Ó Briain" --forename Siobhán --dob 2012-10-10 --year 9 \
    --status K --need SEMH
SENCO_TODAY=2027-01-20

# --- a request received in the Christmas holiday --------------------------------------
t_ok "a parent's request" ehc add "$UPN1" --sent 18/12/2026 \
    --received 20/12/2026 --requested-by parent --evidence "EP report" \
    --evidence "SALT advice"
t_out "confirmed" "^Recorded a request for an EHC needs assessment for Brown, Zoë ($UPN1) by the parent, sent 18/12/2026, received 20/12/2026\.$"
t_out "evidence as notes" "^Evidence: 2 notes added\.$"
t_out "6 weeks across the year end" "^Next: decision to assess by 31/01/2027 (due in 11 days)\.$"
t_ok "the evidence is in the contact log" note list "$UPN1"
t_out "a note" "EHC needs assessment request, evidence: SALT advice"
t_ok "a school's request, received in November" ehc add "$UPN4" \
    --sent 2026-11-01 --received 2026-11-02 --requested-by school \
    --exception "EP advice asked a week before half term"
t_out "already late" "^Next: decision to assess by 14/12/2026 (OVERDUE by 37 days)\.$"

t_ok "the list" ehc list
t_out "overdue first" "^$UPN4  *Ó Briain, Siobhán  *9  *school  *01/11/2026  *02/11/2026  *requested  *11  *decision to assess  *14/12/2026  *OVERDUE by 37 days  *EP advice asked"
t_out "then Zoë" "^$UPN1  *Brown, Zoë  *6  *parent  *18/12/2026  *20/12/2026  *requested  *4  *decision to assess  *31/01/2027  *due in 11 days"
t_check "in that order" sh -c "grep -n '^[A-Z][0-9]' '$OUT' | head -1 | grep -q '$UPN4'"
t_ok "the list as CSV" ehc list --format csv
t_out "CSV header" "^UPN,Name,Year,By,Sent,Received,Stage,Weeks,Next deadline,Due,When,Exception$"
t_out "CSV row" "^$UPN1,\"Brown, Zoë\",6,parent,2026-12-18,2026-12-20,requested,4,decision to assess,2027-01-31,due in 11 days,$"
t_ok "counted to another day" ehc list --today 2027-02-02 --format csv
t_out "two days late then" "^$UPN1,.*,2027-01-31,OVERDUE by 2 days,$"

# --- refusals: nothing written -----------------------------------------------------------
snapshot
t_fail 65 "senco: EHC request: pupil $UPN1 has one open already (sent 18/12/2026, requested): record its steps instead" \
    "one open request at a time" ehc add "$UPN1" --sent 2027-01-10 \
    --requested-by school
t_fail 64 "senco: ehc add: missing --sent DATE (the day the request went to the local authority) (see 'senco help ehc add')" \
    "no date sent" ehc add "$UPN2" --requested-by school
t_fail 64 "senco: ehc add: missing --requested-by (school, parent or professional) (see 'senco help ehc add')" \
    "who asked" ehc add "$UPN2" --sent 2027-01-10
t_fail 65 "senco: requested by 'GP': not school, parent or professional" \
    "an unknown requester" ehc add "$UPN2" --sent 2027-01-10 --requested-by GP
t_fail 65 "senco: EHC request: received on 09/01/2027, before it was sent (10/01/2027)" \
    "received before sent" ehc add "$UPN2" --sent 2027-01-10 \
    --received 2027-01-09 --requested-by school
t_fail 65 "senco: EHC request: sent on 21/01/2027, in the future" \
    "sent tomorrow" ehc add "$UPN2" --sent 2027-01-21 --requested-by school
t_fail 65 "senco: date sent: '31/02/2027' is not a real date" \
    "not a date" ehc add "$UPN2" --sent 31/02/2027 --requested-by school
t_fail 66 "senco: UPN T801200005013: no such pupil in $DB" \
    "an unknown pupil" ehc add T801200005013 --sent 2027-01-10 \
    --requested-by school
t_fail 65 "senco: EHC request of $UPN1: requested; the next step is decision-agreed or decision-declined, not draft" \
    "a step out of order" ehc step "$UPN1" draft --date 2027-01-19
t_fail 65 "senco: EHC request of $UPN1: decision-agreed on 19/12/2026, before the request was received (20/12/2026)" \
    "a step before the LA had it" ehc step "$UPN1" decision-agreed \
    --date 2026-12-19
t_fail 65 "senco: EHC request of $UPN1: decision-agreed on 21/01/2027, in the future" \
    "a step to come" ehc step "$UPN1" decision-agreed --date 2027-01-21
t_fail 65 "senco: step 'issued': not decision-agreed, decision-declined, draft, final, refused or appeal" \
    "an unknown step" ehc step "$UPN1" issued
t_fail 64 "senco: ehc step: missing STEP (see 'senco help ehc step')" \
    "no step" ehc step "$UPN1"
t_fail 65 "senco: ehc step: 李, Wei ($UPN2) has no EHC needs assessment request (record one with 'senco ehc add $UPN2')" \
    "no request" ehc step "$UPN2" decision-agreed
t_fail 64 "senco: ehc edit: nothing to change (e.g. --received DATE) (see 'senco help ehc edit')" \
    "edit with nothing" ehc edit "$UPN1"
t_fail 65 "senco: EHC plan: pupil $UPN2 has no EHC plan (status K); record the plan first" \
    "an annual review of no plan" ehc review "$UPN2" --date 2027-01-10
t_fail 64 "senco: ehc review: missing --date DATE (the review meeting) or --report-sent DATE (see 'senco help ehc review')" \
    "a review with no date" ehc review "$UPN2"
t_fail 77 "senco: ehc add: the caseload is open read-only (--read-only); nothing was changed" \
    "read-only" --read-only ehc add "$UPN2" --sent 2027-01-10 \
    --requested-by school
t_unchanged "nothing was written by any refusal"

# --- steps ----------------------------------------------------------------------------------
t_ok "decision agreed" ehc step "$UPN1" decision-agreed --date 19/01/2027
t_out "on time" "^EHC needs assessment request of Brown, Zoë ($UPN1): decision to assess: agreed on 19/01/2027, on time (due 31/01/2027)\.$"
t_out "16 weeks next" "^Next: decision to issue and draft plan by 11/04/2027 (due in 81 days)\.$"
t_ok "Siobhán's, late" ehc step "$UPN4" agreed --date 2027-01-18
t_out "35 days late" "decision to assess: agreed on 18/01/2027, 35 days late (due 14/12/2026)\.$"
t_ok "edit the dates" ehc edit "$UPN4" --exception ""
t_out "edited" "^Updated the EHC needs assessment request of Ó Briain, Siobhán ($UPN4)\.$"
t_fail 65 "senco: EHC request: the last step was taken on 18/01/2027; the request must be sent and received by then (sent 01/11/2026)" \
    "received after the last step" ehc edit "$UPN4" --received 2027-01-19
SENCO_TODAY=2027-06-01
t_ok "the draft" ehc step "$UPN1" draft --date 01/04/2027
t_out "20 weeks next" "^Next: final plan by 09/05/2027"
t_ok "the final plan" ehc step "$UPN1" final --date 2027-05-01
t_out "the status" "^$UPN1 has an EHC plan (status E) from 01/05/2027\.$"
t_fail 65 "senco: EHC request of $UPN1: final plan issued on 01/05/2027; no step follows" \
    "nothing after the final plan" ehc step "$UPN1" appeal
t_ok "the pupil is E" pupil show "$UPN1"
t_out "since the plan" "^SEN status:      E EHC plan, since 01/05/2027$"
t_ok "show" ehc show "$UPN1"
t_out "the steps with their deadlines" "^  19/01/2027  decision to assess: agreed  *on time (due 31/01/2027)$"
t_out "the final" "^  01/05/2027  final plan issued  *on time (due 09/05/2027)$"
t_out "the plan" "^  01/05/2027  plan issued$"
t_ok "a decided request leaves the open list" ehc list --format csv
t_no_out "not open" "^$UPN1,"
t_ok "but not --all" ehc list --all --format csv
t_out "final, 18 weeks" "^$UPN1,.*,final,18,,,,$"

# Declined and appealed.
t_ok "Siobhán's refused" ehc step "$UPN4" refused --date 2027-04-20
t_out "appeal window" "^Parents may appeal to the Tribunal until 20/06/2027\.$"
t_ok "and appealed" ehc step "$UPN4" appeal --date 2027-05-10
t_ok "the list" ehc list --format csv
t_out "an appeal" "^$UPN4,.*,appeal,27,,,,$"

# --- from a review -----------------------------------------------------------------------------
SENCO_TODAY=2026-09-01
t_ok "a cycle for Wei" cycle start "$UPN2"
SENCO_TODAY=2027-01-20
t_ok "the review decides to request an assessment" cycle close "$UPN2" \
    --decision ehc --date 2026-11-24
t_out "the request is recorded" "^The EHC needs assessment request is in 'senco ehc list'; when it goes, give$"
t_ok "listed, not sent" ehc list --format csv
t_out "by the school, no dates" "^$UPN2,\"李, Wei\",5,school,,,requested,,,,,$"
t_ok "sent later" ehc edit "$UPN2" --sent 2027-01-11 --received 2027-01-12
t_out "its deadline" "^Next: decision to assess by 23/02/2027 (due in 34 days)\.$"
t_ok "the note names the review" note list "$UPN2"
t_out "the review" "decided at the SEN support review of 24/11/2026"

# --- EHC plans --------------------------------------------------------------------------------------
SENCO_TODAY=2027-06-01
t_ok "an annual review" ehc review "$UPN1" --date 2027-05-20 --notes "All well"
t_out "the report due" "^Recorded the annual review of the EHC plan of Brown, Zoë ($UPN1) on 20/05/2027; the report is due by 03/06/2027\.$"
t_fail 65 "senco: EHC plan: report sent on 19/05/2027, before the review meeting (20/05/2027)" \
    "a report before the meeting" ehc review "$UPN1" --report-sent 2027-05-19
t_ok "the report sent" ehc review "$UPN1" --report-sent 2027-05-25
t_fail 65 "senco: pupil $UPN3: a pupil with SEN status E needs a primary type of need" \
    "a plan needs a need" ehc plan "$UPN3" --date 2027-02-01
t_ok "a plan a pupil came with" ehc plan "$UPN4" --date 2027-05-15
t_out "recorded" "^Recorded the EHC plan of Ó Briain, Siobhán ($UPN4), issued 15/05/2027\.$"
t_ok "an amended plan" ehc plan "$UPN4" --date 2027-05-20 --amended
t_out "amended" "^Recorded the amended EHC plan of Ó Briain, Siobhán ($UPN4), issued 20/05/2027\.$"
t_fail 65 "senco: EHC plan: pupil $UPN3 has no EHC plan (status N); record the plan first" \
    "no amendment without a plan" ehc plan "$UPN3" --date 2027-05-20 --amended
t_ok "show a pupil with nothing" ehc show "$UPN3"
t_out "no request" "^No EHC needs assessment request\.$"
t_out "no plan" "^  None recorded\.$"
t_ok "show the plan's history" ehc show "$UPN4"
t_out "the amendment" "^  20/05/2027  amended plan$"
t_ok "the reviews" ehc reviews --all
t_out "Zoë: reviewed, report sent, next in a year" \
    "^$UPN1  *Brown, Zoë  *6  *01/05/2027  *20/05/2027  *sent 25/05/2027  *20/05/2028  *due in 354 days  *15/02/2027  *amended 01/05/2027$"
t_out "Siobhán: year 9, transfer done" \
    "^$UPN4  *Ó Briain, Siobhán  *9  *15/05/2027  *15/05/2028  *due in 349 days  *15/02/2027  *amended 20/05/2027$"
t_ok "the reviews due in 28 days" ehc reviews
t_out "none" "^No EHC plan review is overdue or due in the next 28 days\.$"
SENCO_TODAY=2028-05-10
t_ok "a year on" ehc reviews --format csv
t_out "CSV header" "^UPN,Name,Year,Plan,Last review,Report,Next review,When,Transfer by,Transfer$"
t_out "due in 10 days" "^$UPN1,\"Brown, Zoë\",6,2027-05-01,2027-05-20,sent 2027-05-25,2028-05-20,due in 10 days,"
t_ok "report reviews" report reviews
t_out "the EHC plans' sheet" "^EHC plans: annual reviews overdue and due$"
t_out "Zoë there" "^$UPN1  *Brown, Zoë  *6  *01/05/2027  *20/05/2027  *sent  *20/05/2028  *10  *due in 10 days$"
t_out "the count" "^EHC plans: 0 overdue (an annual review or its report); 2 phase transfers$"
SENCO_TODAY=2028-06-01
t_ok "report reviews, late" report reviews --format csv
t_out "overdue by 12 days" "^[^,]*,2028-06-01,EHC plans: annual reviews overdue and due,$UPN1,\"Brown, Zoë\",6,,,2028-05-20,-12,OVERDUE by 12 days,2027-05-01,2027-05-20,sent,,,,$"

t_ok "help" help ehc
t_out "the subcommands" "^Usage: senco ehc reviews"
t_fail 64 "senco: ehc: which one? add, edit, step, list, show, review, plan or reviews (see 'senco help ehc')" \
    "no subcommand" ehc

finish
