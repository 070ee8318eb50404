#!/bin/sh
# test_cycle.sh: senco cycle start|advance|close|edit|list and senco target
# add|list|rate|outcome|history: one graduated-approach cycle from start to
# review and into the next, and every refusal on the way.
. "$SENCO_SRCDIR/tests/lib.sh"

t_ok "init" init
t_ok "add Zoë" pupil add --upn "$UPN1" --surname Brown --forename Zoë \
    --dob 03/04/2016 --year 4 --status K --need SLCN
t_ok "add Wei" pupil add --upn "$UPN2" --surname 李 --forename Wei \
    --dob 2015-02-01 --year 5 --status K --need SEMH

# --- start ---------------------------------------------------------------------
t_ok "start a cycle" cycle start "$UPN1" --start 01/12/2025
t_out "start confirms with the default 12-week review" \
    "^Started a cycle for Brown, Zoë ($UPN1) on 01/12/2025 (Assess); review on 23/02/2026\.$"
t_ok "start a cycle with a review date" cycle start "$UPN2" \
    --start 2026-01-05 --review 2026-03-30
t_out "the review date is the one given" "review on 30/03/2026\.$"

# --- targets ----------------------------------------------------------------------
t_ok "add a target" target add "$UPN1" --text "Read 20 high-frequency words" \
    --criteria "20/20 on two days running" --baseline "8/20" --area CL
t_out "add target confirms its number" "^Added target 1 for Brown, Zoë ($UPN1)\.$"
t_ok "add a second target" target add "$UPN1" --area SEMH \
    --text "Take turns in a group of three, with a timer"
t_out "the second is target 2" "^Added target 2 "
t_ok "add a third target" target add "$UPN1" --text "Write a sentence, with a capital and a full stop"
t_ok "rate target 1 as a number" target rate "$UPN1" 1 2 --comment "12/20"
t_out "rate confirms" "^Rated target 1 of Brown, Zoë ($UPN1): 2 (developing)\.$"
t_ok "rate target 2 as a word, dated" target rate "$UPN1" 2 Emerging \
    --date 10/01/2026
t_ok "rate target 1 again" target rate "$UPN1" 1 secure \
    --comment "16/20, on a good day"

# 45 days of an 84-day plan: round(4 * 45 / 84) = 2 is needed today.
t_ok "list the targets" target list "$UPN1"
t_out "target 1: latest rating and on track" \
    "^1  Read 20 high-frequency words  *CL  *3 secure  *2  *yes$"
t_out "target 2: behind" "^2  Take turns.*SEMH  *1 emerging  *2  *no$"
t_out "target 3: not rated counts as 0" "^3  Write a sentence.*not rated  *2  *no$"
t_ok "list the targets as CSV" target list "$UPN1" --format csv
t_out "CSV header" "^#,Target,Area,Success criteria,Baseline,Rating,Rated on,Needed,On track,Outcome$"
t_out "CSV: ISO dates and plain numbers" \
    "^1,Read 20 high-frequency words,CL,20/20 on two days running,8/20,3,2026-01-15,2,yes,$"
t_out "CSV: a comma in the text is quoted" \
    "^2,\"Take turns in a group of three, with a timer\",SEMH,,,1,2026-01-10,2,no,$"
t_ok "the rating history" target history "$UPN1" 1
t_out "history: first rating" "^15/01/2026  2 developing  .*12/20$"
t_out "history: second rating" "^15/01/2026  3 secure  .*16/20, on a good day$"
t_ok "the rating history as TSV" target history "$UPN1" 1 --format tsv
t_out "history TSV" "^2026-01-15	3	.*	16/20, on a good day$"
t_ok "the register shows on-track" pupil list --format csv
t_out "1 of 3 targets on track" "^$UPN1,Brown,Zoë,4,K,SLCN,,assess,2026-02-23,no,3,1,"

# --- advance and edit -------------------------------------------------------------
t_ok "advance to plan" cycle advance "$UPN1"
t_out "advance confirms" "^The cycle of Brown, Zoë ($UPN1) moved from Assess to Plan\.$"
t_ok "advance to do" cycle advance "$UPN1"
t_ok "edit voices and notes" cycle edit "$UPN1" --parent "Mum is pleased" \
    --pupil "I like the word games" --notes "plan=Daily reading, 10 minutes" \
    --review 02/03/2026
t_out "edit confirms" "^Updated the cycle of Brown, Zoë ($UPN1)\.$"
t_ok "show the cycle" pupil show "$UPN1"
t_out "show: stage" "^OPEN CYCLE (Do)$"
t_out "show: the plan period moved with the review" \
    "^Plan period: *01/12/2025 to 02/03/2026$"
t_out "show: review date" "^Review date: *02/03/2026$"
t_out "show: plan notes" "^Plan notes: *Daily reading, 10 minutes$"
t_out "show: parent voice" "^Parent voice: *Mum is pleased$"
t_out "show: pupil voice" "^Pupil voice: *I like the word games$"
t_out "show: targets" "^ *1  Read 20 high-frequency words"
t_ok "clear the pupil voice" cycle edit "$UPN1" --pupil ""
t_ok "show again" pupil show "$UPN1"
t_no_out "the pupil voice is gone" "^Pupil voice:"
t_ok "advance to review" cycle advance "$UPN1"
t_out "at review" "moved from Do to Review\.$"
t_ok "list the cycles" cycle list "$UPN1" --format csv
t_out "cycle list CSV" "^2025-12-01,2026-03-02,2026-03-02,review,,,3,0$"

# --- refusals before the close -------------------------------------------------------
snapshot
t_fail 65 "senco: cycle: already at review; close the cycle with a decision" \
    "advance past review" cycle advance "$UPN1"
t_fail 65 "senco: cycle: pupil $UPN1 already has an open cycle (review due 02/03/2026); close it before starting another" \
    "a second open cycle" cycle start "$UPN1"
t_fail 65 "senco: cycle start: '31/04/2026' is not a real date" \
    "start on an impossible date" cycle start "$UPN1" --start 31/04/2026
t_fail 65 "senco: review date: '1/3/26' is not a date (use DD/MM/YYYY or YYYY-MM-DD)" \
    "an ambiguous review date" cycle edit "$UPN1" --review 1/3/26
t_fail 66 "senco: UPN H801200005005: no such pupil in $DB" \
    "start for an unknown pupil" cycle start H801200005005
t_fail 65 "senco: UPN '$BADUPN' has the wrong check letter*" \
    "start for a mistyped UPN" cycle start "$BADUPN"
t_fail 64 "senco: cycle edit: nothing to change (e.g. --review DATE or --parent TEXT) (see 'senco help cycle edit')" \
    "edit with nothing" cycle edit "$UPN1"
t_fail 64 "senco: cycle edit: --notes takes STAGE=TEXT, e.g. --notes plan='Daily reading' (see 'senco help cycle edit')" \
    "notes without a stage" cycle edit "$UPN1" --notes "just text"
t_fail 65 "senco: stage 'later' is not assess, *" \
    "notes of an unknown stage" cycle edit "$UPN1" --notes "later=text"
t_fail 64 "senco: target add: missing --text (what the pupil will do) (see 'senco help target add')" \
    "a target without text" target add "$UPN1" --area CL
t_fail 65 "senco: broad area 'XX' is not CI, CL, SEMH *" \
    "a target in an unknown area" target add "$UPN1" --text T --area XX
t_fail 65 "senco: rating '5' is not 0 (not started), 1 (emerging), 2 (developing), 3 (secure) or 4 (achieved)" \
    "a rating of 5" target rate "$UPN1" 1 5
t_fail 65 "senco: rating 'great' is not 0 (not started)*" \
    "a rating word that is not one" target rate "$UPN1" 1 great
t_fail 66 "senco: target 9: Brown, Zoë ($UPN1) has no such target in the open cycle (see 'senco target list $UPN1')" \
    "rate a target that is not there" target rate "$UPN1" 9 2
t_fail 65 "senco: target number: 'one' is not a whole number from 1 to 1000" \
    "a target number that is not a number" target rate "$UPN1" one 2
t_fail 65 "senco: rating date: '2026-02-30' is not a real date" \
    "rate on an impossible date" target rate "$UPN1" 1 3 --date 2026-02-30
t_fail 64 "senco: target rate: missing RATING (0-4) (see 'senco help target rate')" \
    "rate without a rating" target rate "$UPN1" 1
t_fail 65 "senco: outcome 'done' is not achieved, *" \
    "an unknown outcome" target outcome "$UPN1" 1 done
t_fail 65 "senco: decision 'stop' is not continue, *" \
    "an unknown decision" cycle close "$UPN1" --decision stop
t_fail 64 "senco: cycle close: missing --decision (continue, increase, ehc or remove) (see 'senco help cycle close')" \
    "close without a decision" cycle close "$UPN1"
t_fail 64 "senco: cycle close: --carry needs a decision that starts a new cycle (continue or increase) (see 'senco help cycle close')" \
    "--carry with ehc" cycle close "$UPN1" --decision ehc --carry
t_fail 77 "senco: cycle close: the caseload is open read-only (--read-only); nothing was changed" \
    "close under --read-only" --read-only cycle close "$UPN1" \
    --decision continue
t_fail 77 "senco: target rate: the caseload is open read-only (--read-only); nothing was changed" \
    "rate under --read-only" --read-only target rate "$UPN1" 1 4
t_unchanged "no refusal wrote anything"

# --- outcomes and close with carry ---------------------------------------------------
t_ok "target 1 achieved" target outcome "$UPN1" 1 achieved
t_out "outcome confirms" "^Target 1 of Brown, Zoë ($UPN1): achieved\.$"
t_ok "target 2 partially achieved" target outcome "$UPN1" 2 partial
t_ok "target 3 set, then taken back" target outcome "$UPN1" 3 not
t_ok "take the outcome back" target outcome "$UPN1" 3 none
t_out "none clears" "^Cleared the outcome of target 3 "
t_ok "list with outcomes" target list "$UPN1"
t_out "outcome shown" "^1  Read 20 high-frequency words  .*achieved$"
t_out "partial shown" "^2  Take turns.*partially achieved$"
snapshot
t_fail 65 "senco: rating: the target already has its outcome (achieved); clear it to rate again" \
    "no rating after an outcome" target rate "$UPN1" 1 4
t_unchanged "the refused rating wrote nothing"
t_ok "close with continue and carry" cycle close "$UPN1" --decision continue \
    --date 15/01/2026 --carry
t_out "close confirms" "^Closed the cycle of Brown, Zoë ($UPN1): continue\.$"
t_out "a new cycle begins" "^Started a new cycle; review on "
t_out "two unmet targets carried" "^Carried 2 unmet targets into it\.$"
t_ok "the new cycle's targets" target list "$UPN1" --format csv
t_out "the partly met target carried" "^1,\"Take turns in a group of three, with a timer\",SEMH,"
t_out "the unjudged target carried" "^2,\"Write a sentence, with a capital and a full stop\","
t_no_out "the achieved target stays behind" "Read 20 high-frequency words"
t_ok "the cycle list" cycle list "$UPN1" --format csv
t_out "the old cycle is closed" ",closed,2026-01-15,continue,3,1$"
t_out "the new cycle is open at assess" ",assess,,,2,0$"

# --- remove from the register -----------------------------------------------------
t_ok "advance Wei to review" cycle advance "$UPN2"
t_ok "close with remove" cycle close "$UPN2" --decision remove
t_out "remove confirms" "^Closed the cycle of 李, Wei ($UPN2): "
t_ok "the register" pupil list --all --format csv
t_out "removed from the register: status N" "^$UPN2,李,Wei,5,N,"
t_fail 65 "senco: target add: 李, Wei ($UPN2) has no open cycle (start one with 'senco cycle start $UPN2')" \
    "no open cycle for targets" target add "$UPN2" --text "Anything"
t_fail 65 "senco: cycle advance: 李, Wei ($UPN2) has no open cycle (start one with 'senco cycle start $UPN2')" \
    "no open cycle to advance" cycle advance "$UPN2"

finish
