#!/bin/sh
# EHC needs assessment requests in the full-screen interface: a review
# meeting decides "request EHC needs assessment" and closing the cycle
# records the request with it (checked through `senco ehc list`); a
# request recorded from the CLI with its clock started long ago shows on
# the EHC screen (X) as OVERDUE in words, from the register, the
# dashboard and the pupil screen.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 22

tui_fixture
Z=$TUI_UPN_ZOE
N=$TUI_UPN_NGUYEN
# received 1 December 2025: the decision to assess was due 12 January
# 2026, 57 days before the fixed today of 10 March 2026
sen ehc add $N --sent 2025-11-28 --received 2025-12-01 \
    --requested-by parent --evidence "Educational psychologist report" \
    >/dev/null 2>&1 || { echo "Bail out! ehc add failed"; exit 1; }

tui_start
tui_wait "Next review"
tui_keys / ; tui_type "Zoë"; tui_keys Enter
tui_wait "Brown, Zoë"
tui_keys R
tui_wait "target 1 of 2"
tui_keys n
tui_wait "target 2 of 2"
tui_keys n
tui_wait "[Parent voice]"
tui_keys Tab
tui_wait "[Pupil voice]"
tui_keys Tab
tui_wait "[Decision]"
tui_keys e
check "e chooses the EHC request (not saved yet)" \
    tui_wait "chosen: request EHC needs assessment"
check "choosing writes no request" sh -c "! '$SENCO' --db '$TUI_DB' \
    ehc list --format csv | grep -q '$Z'"
tui_keys Enter
check "closing the cycle says the request is recorded" \
    tui_wait "The EHC needs assessment request is recorded"
check "the request is in the database, requested by the school" sh -c \
    "'$SENCO' --db '$TUI_DB' ehc list --format csv | grep '$Z' | \
    grep -q school"
check "the cycle is closed with the decision" sh -c "'$SENCO' --db \
    '$TUI_DB' cycle list $Z --format csv | grep -q -i ehc"
tui_keys q
tui_wait "Next review"
tui_keys X
check "X on the register opens the EHC screen" \
    tui_wait "Open EHC needs assessment requests: 2"
check "the overdue decision is said in words with the days" \
    tui_wait "decision to assess on 12/01/2026: OVERDUE by 57 days"
check "the request from the review is listed" tui_wait "Brown, Zoë"
tui_keys q
tui_wait "Next review"
tui_keys D
tui_wait "Dashboard"
check "the dashboard counts the EHC requests and annual reviews" \
    tui_wait "EHC: 2 requests open, 1 overdue; annual reviews 1 overdue"
check "the dashboard names the overdue request in words" \
    tui_wait "OVERDUE by 57 days 12/01/2026  Nguyễn, Văn An  request"
tui_keys X
check "X on the dashboard opens the EHC screen" \
    tui_wait "Open EHC needs assessment requests: 2"
check "the EHC plan of the pupil with status E is listed" \
    tui_wait "annual review"
tui_keys q q
tui_wait "Next review"
tui_keys / ; tui_type "Nguyễn"; tui_keys Enter
tui_wait "Nguyễn"
tui_keys Enter
tui_wait "UPN $N"
tui_keys X
check "X on the pupil opens the pupil's requests" \
    tui_wait "EHC needs assessment requests: 1"
tui_keys s
tui_wait "Next step of the EHC request"
check "s offers only the steps that can follow a request" \
    tui_wait "< decision to assess: agreed >"
tui_keys Tab ; tui_type "09/03/2026"; tui_keys C-s
check "the step is recorded and shown" tui_wait "assessment agreed; requested by parent"
check "the step is in the database" sh -c "'$SENCO' --db '$TUI_DB' \
    ehc list --format csv | grep '$N' | grep -q assessing"
tui_keys q q
tui_wait "Next review"
tui_keys / ; tui_type "Siobhán"; tui_keys Enter
tui_wait "O'Neill"
tui_keys Enter
tui_wait "UPN $TUI_UPN_SIOBHAN"
tui_keys X
tui_wait "EHC needs assessment requests: 0"
tui_keys a
tui_wait "New EHC needs assessment request"
tui_type "02/03/2026"; tui_keys Tab ; tui_type "04/03/2026"; tui_keys Tab
tui_keys Right Tab ; tui_type "Speech and language therapist report"
tui_keys C-s
check "a records a new request from the pupil screen" \
    tui_wait "EHC needs assessment request recorded"
check "the pupil's request is listed with its next deadline" \
    tui_wait "decision to assess on 15/04/2026: due in 36 days"
check "the request is in the database, asked by the parent" sh -c \
    "'$SENCO' --db '$TUI_DB' ehc list --format csv | \
    grep '$TUI_UPN_SIOBHAN' | grep -q 'parent,2026-03-02,2026-03-04'"
check "the evidence is kept as a note" sh -c "'$SENCO' --db '$TUI_DB' \
    note list $TUI_UPN_SIOBHAN | grep -q 'Speech and language'"
tui_keys q q q
tui_exited
check "three requests are open in the end" sh -c \
    "test \"\$('$SENCO' --db '$TUI_DB' ehc list --format csv | wc -l)\" = 4"
check "in the end the caseload passes senco check" sen check
tui_done
