#!/bin/sh
# test_report.sh: senco report NAME on the fixed caseload of
# tests/data/report/caseload.sh (today 15/01/2026, a configured roll of
# 20): every report in every format with the figures worked out by hand,
# the anonymised cluster return and the merging of returns, and every
# refusal (one line, the right exit status, nothing changed).
. "$SENCO_SRCDIR/tests/lib.sh"
. "$SENCO_SRCDIR/tests/data/report/caseload.sh"

D=$SENCO_SRCDIR/tests/data/report
SCHOOL='Oakfield & <Primary>'

# t_has DESC STRING: the last output has a line containing STRING (no
# pattern: £, ., [ and * are themselves).
t_has() {
	if grep -qF -- "$2" "$OUT"; then
		pass "$1"
	else
		fail "$1" "no line containing: $2"
		_diag "$OUT"
	fi
}

t_hasnt() {
	if grep -qF -- "$2" "$OUT"; then
		fail "$1" "a line contains: $2"
		_diag "$OUT"
	else
		pass "$1"
	fi
}

# t_first DESC LINE: the first line of the output is exactly LINE.
t_first() {
	if [ "$(head -n 1 "$OUT")" = "$2" ]; then
		pass "$1"
	else
		fail "$1" "first line: $(head -n 1 "$OUT")" "expected:   $2"
	fi
}

# t_lines DESC N: the output has N lines.
t_lines() {
	_got=$(wc -l <"$OUT")
	if [ "$_got" -eq "$2" ]; then
		pass "$1"
	else
		fail "$1" "$_got lines, wanted $2"
		_diag "$OUT"
	fi
}

report_caseload
snapshot

# --- every report, every format: exit 0, school and date first ----------------
for r in caseload reviews on-track provision impact exclusions cluster; do
	t_ok "report $r" report "$r"
	t_first "report $r starts with the school" "$SCHOOL"
	t_out "report $r gives the date" "^[A-Z].*, 15/01/2026$"
	t_ok "report $r as markdown" report "$r" --format md
	t_first "report $r in markdown starts with the school" \
	    "# Oakfield \\& \\<Primary>"
	t_out "report $r in markdown: the date" "^## .*, 15/01/2026$"
	t_out "report $r in markdown: a table" "^|---"
	t_ok "report $r as CSV" report "$r" --format csv
	t_first "report $r in CSV: the header" \
	    "$(head -n 1 "$OUT" | grep '^School,Date,')"
	t_out "report $r in CSV: rows begin with school and date" \
	    "^$SCHOOL,2026-01-15,"
	t_ok "report $r as TSV" report "$r" --format tsv
	t_out "report $r in TSV" "^$SCHOOL	2026-01-15	"
done

# --- caseload: a roll of 20 from the configuration ------------------------------
# K 5 (Ada, Ben, Dee, Zoë, Ivy), E 1 (Cai), register 6, N 20 - 6 = 14.
t_ok "caseload" report caseload
t_has "caseload: the roll" "Roll: 20 pupils (from the configuration); 9 on roll in the caseload."
t_out "caseload: K is 25% of the roll, 83.3% of the register" \
    "^K  *SEN support  *5  *25\.0%  *83\.3%$"
t_out "caseload: N is the rest of the roll" "^N  *No SEN  *14  *70\.0%$"
t_out "caseload: E" "^E  *EHC plan  *1  *5\.0%  *16\.7%$"
t_out "caseload: the register" "^K+E  *On the SEN register  *6  *30\.0%  *100\.0%$"
t_out "caseload: an area" "^CI  *Communication and interaction  *2  *10\.0%  *33\.3%$"
t_out "caseload: SP has none" "^SP  *Sensory and/or physical  *0  *0\.0%  *0\.0%$"
t_out "caseload: a need" "^NSA  *SEN support but no specialist .*  1  *5\.0%  *16\.7%$"
t_ok "caseload as CSV" report caseload --format csv
t_first "caseload CSV header" \
    "School,Date,Section,Code,Group,Pupils,% of roll,% of register"
t_has "caseload CSV: K" "$SCHOOL,2026-01-15,SEN status,K,SEN support,5,25.0,83.3"
t_has "caseload CSV: a need" \
    "$SCHOOL,2026-01-15,Primary need (K and E),SPLD,Specific learning difficulty,1,5.0,16.7"
t_lines "caseload CSV: 5 statuses, 5 areas, 14 needs" 25
t_ok "caseload as markdown" report caseload --format md
t_has "caseload markdown row" "| K | SEN support | 5 | 25.0% | 83.3% |"
t_has "caseload markdown: numbers aligned right" "|---|---|---:|---:|---:|"

# --- reviews ----------------------------------------------------------------------
# Ada 12/01 (overdue by 3), Ben 15/01 (today), Zoë 26/01 (+11), Cai 05/02
# (+21); Dee 20/02 (+36) is outside 28 days.
t_ok "reviews" report reviews
t_has "reviews: summary" "1 review overdue; 3 due in the next 28 days."
t_out "reviews: Ada overdue" "^B801200005001  Ash, Ada .* 12/01/2026  *-3  overdue by 3 days$"
t_out "reviews: Ben today" "^Q801200005002  Birch, Ben .* 0  today$"
t_no_out "reviews: Dee is not due yet" "U801200005004"
t_ok "reviews as CSV" report reviews --format csv
t_has "reviews CSV: Cai" \
    "E801200005003,\"Cedar, Cai\",4,E,ASD,2026-02-05,21,in 21 days"
t_lines "reviews CSV: header and 4 reviews" 5
t_ok "reviews over 40 days" report reviews --days 40 --format csv
t_lines "reviews over 40 days: Dee too" 6
t_ok "reviews over 5 days" report reviews --days 5 --format csv
t_lines "reviews over 5 days: Ada and Ben" 3
t_ok "reviews on another day" report reviews --today 2026-02-28 --format csv
t_has "reviews on 28/02: Cai is overdue" "2026-02-05,-23,overdue by 23 days"

# --- on track ---------------------------------------------------------------------
# Needed today: Ada 4 (plan over), Ben 4, Cai 1, Zoë 2. Ada 4: all; Ben
# 2, 4: half; Cai 1: all; Zoë 1, 3, none: one of three. Dee: no targets.
t_ok "on-track" report on-track
t_out "on-track: all pupils" \
    "^All pupils  *4  *2  *50\.0%  *3  *75\.0%  *neither  *1$"
t_has "on-track: the criteria" "(criterion 70%: not met)"
t_out "on-track: year 3" "^Year 3  *2  *1  *50\.0%  *2  *100\.0%  *90% only  *0$"
t_out "on-track: year 5" "^Year 5  *1  *0  *0\.0%  *0  *0\.0%  *neither  *0$"
t_out "on-track: SEMH has no targets" "^SEMH  *0  *0  *0  *1$"
t_ok "on-track as CSV" report on-track --format csv
t_has "on-track CSV" \
    "$SCHOOL,2026-01-15,By primary need,MLD,1,0,0.0,1,100.0,90% only,0"

# --- provision ---------------------------------------------------------------------
# Phonics £12 a session, 3 x 30' in a group of 3: 1200 / 3 * 3 * 39 =
# £468 each, Ada and Ben; TA £20/hour 5 x 60': £3,900; Speech £45/hour
# 2 x 60': £3,510; Cai £7,410 > £6,000.
t_ok "provision" report provision
t_out "provision: Phonics" \
    "^Phonics  *CL  *2  *2\.0  *1\.0  *39\.0  *£936\.00  *£468\.00$"
t_out "provision: all" \
    "^All provision  *3  *9\.0  *8\.0  *312\.0  *£8,346\.00  *£2,782\.00$"
t_has "provision: Reading is idle" "1 intervention in the catalogue has no pupil at present."
t_out "provision: Cai over the threshold" \
    "^E801200005003  Cedar, Cai  4  *E  *ASD  *£7,410\.00$"
t_ok "provision as CSV" report provision --format csv
t_has "provision CSV: TA support" "Interventions,TA support,,1,5.0,5.0,195.0,3900.00,3900.00"
t_has "provision CSV: over top-up" "E801200005003,\"Cedar, Cai\",4,E,ASD"

# --- impact -------------------------------------------------------------------------
# Zoë 84 -> 92 over 3 months (ratio 2.67), Łukasz 80 -> 83 over 2 (1.5):
# entry 82, exit 87.5, gain 5.5, ratio (8/3 + 3/2) / 2 = 2.08.
t_ok "impact" report impact
t_out "impact: Reading" \
    "^Reading  *Salford reading age  *2  *2  *82\.0  *87\.5  *5\.5  *2  *2\.08$"
t_ok "impact as CSV" report impact --format csv
t_has "impact CSV" "$SCHOOL,2026-01-15,Reading,Salford reading age,2,2,82.0,87.5,5.5,2,2.08"

# --- exclusions ----------------------------------------------------------------------
# 01/09/2025 to 15/01/2026. Groups: K 6 (with Jo, who left), E 1, N the
# rest of the roll of 20: 13. Suspensions: N 1 (Łukasz), K 3 (Ada 2, Dee
# 1): per 100 pupils 7.69, 50.00; all 4 of 20: 20.00.
t_ok "exclusions" report exclusions
t_out "exclusions: pupils" "^Pupils  *13  *6  *1  *20$"
t_out "exclusions: suspensions" \
    "^Suspensions (rate per 100 pupils)  *1  *7\.69  *3  *50\.00  *0  *0\.00  *4  *20\.00$"
t_out "exclusions: one or more" \
    "^Pupils with one or more suspensions  *1  *7\.7%  *2  *33\.3%  *0  *0\.0%  *3  *15\.0%$"
t_out "exclusions: two or more" \
    "^Pupils with two or more suspensions  *0  *0\.0%  *1  *16\.7%  *0  *0\.0%  *1  *5\.0%$"
t_out "exclusions: permanent" \
    "^Permanent exclusions  *0  *0\.0%  *1  *16\.7%  *0  *0\.0%  *1  *5\.0%$"
t_ok "exclusions as CSV" report exclusions --format csv
t_first "exclusions CSV header" \
    "School,Date,From,To,Measure,N,N rate,K,K rate,E,E rate,All,All rate"
t_has "exclusions CSV: sessions" \
    "$SCHOOL,2026-01-15,2025-09-01,2026-01-15,Sessions lost to suspension,2,,7,,0,,9,"
t_ok "exclusions in January" report exclusions --from 01/01/2026 --to 31/01/2026 --format csv
t_has "exclusions in January: Ada's one suspension" \
    "2026-01-01,2026-01-31,Suspensions (rate per 100 pupils),0,0.00,1,16.67,0,0.00,1,5.00"

# --- the cluster return --------------------------------------------------------------
t_ok "cluster return" report cluster --format csv
cp "$OUT" "$T/a.csv"
t_first "cluster: the return's header" "School,Date,Measure,Group,Count,Base,Percent"
t_lines "cluster: a fixed number of lines" 54
t_has "cluster: the roll" "$SCHOOL,2026-01-15,roll,all,20,,"
t_has "cluster: E is small" "$SCHOOL,2026-01-15,status,E,<5,20,c"
t_has "cluster: K is withheld" "$SCHOOL,2026-01-15,status,K,c,20,c"
t_has "cluster: a zero stays" "$SCHOOL,2026-01-15,need,HI,0,c,c"
t_has "cluster: open cycles" "$SCHOOL,2026-01-15,reviews,open cycles,5,c,c"
t_has "cluster: the window" "reviews,due within 28 days,<5,5,c"
t_hasnt "cluster: no UPN" "801200005"
for name in Ash Ada Birch Cedar Elm Zoë Ivy 李 Juniper; do
	t_hasnt "cluster: no name ($name)" "$name"
done
t_check "cluster: no count from 1 to 4" sh -c "awk -F, 'NR > 1 && \$3 != \"returns\" && \$5 ~ /^[1-4]\$/ { bad = 1 } END { exit bad }' '$OUT'"
t_check "cluster: no base from 1 to 4" sh -c "awk -F, 'NR > 1 && \$6 ~ /^[1-4]\$/ { bad = 1 } END { exit bad }' '$OUT'"
t_ok "cluster as a table" report cluster
t_out "cluster table: E" "^status  *E  *<5  *20  *c$"
t_has "cluster table: the key to the symbols" "<5: a count from 1 to 4."

# --- merging returns ---------------------------------------------------------------
# Oakfield (above) and Elmwood (tests/data/report/return_b.csv): roll 20
# + 300; N c + 260 >= 265 (of 320: at least 82.8%); E <5 + 5 >= 6; open
# cycles 5 + 38 = 43 exact over a register of at least 45 (no rate);
# provision pupils <5 + 25 >= 26 of exactly 320: at least 8.1%.
t_ok "merge two returns" report cluster --merge "$T/a.csv" "$D/return_b.csv" --format csv
cp "$OUT" "$T/merged.csv"
t_first "merge: the return's header" "School,Date,Measure,Group,Count,Base,Percent"
t_has "merge: two schools" "Merged return of 2 schools,2026-01-15,returns,schools,2,,"
t_has "merge: rolls add up" ",roll,all,320,,"
t_has "merge: withheld + exact is a lower bound" ",status,N,>=265,320,>=82.8"
t_has "merge: small + exact" ",status,E,>=6,320,>=1.9"
t_has "merge: exact + exact over a bounded base" ",reviews,open cycles,43,>=45,c"
t_has "merge: a lower bound of a rate" ",provision,pupils,>=26,320,>=8.1"
t_has "merge: exact all through" ",exclusions: pupils,N,281,,"
t_has "merge: zero + zero" ",pupils with 2+ suspensions,N,0,281,0.0"
t_has "merge: small + zero stays small" ",permanent exclusions,all,<5,330,c"
t_lines "merge: the same layout" 54
t_ok "merge a merged return again" report cluster --merge "$T/merged.csv" "$D/return_b.csv" --format csv
t_has "merge again: three schools" ",returns,schools,3,,"
t_has "merge again: rolls" ",roll,all,620,,"
t_ok "merge as markdown" report cluster --merge "$T/a.csv" "$D/return_b.csv" --format md
t_first "merge markdown: the trust view" "# Merged return of 2 schools"
t_has "merge markdown: the returns" "Return 2: Elmwood Juniors, 14/01/2026."
t_has "merge markdown: lower bounds" "| status | N | >=265 | 320 | >=82.8 |"
t_ok "merge one school with itself" report cluster --merge "$T/a.csv" "$T/a.csv" --format csv
t_has "merge: small + small" ",status,E,>=2,40,>=5.0"

# A merge needs no caseload.
t_ok "merge without a caseload" --db "$T/none.db" report cluster --merge "$D/return_b.csv"
t_check "merge made no caseload" test ! -e "$T/none.db"

# --- refusals ---------------------------------------------------------------------------
t_fail 64 "senco: report: no subcommand 'nosuch' (try caseload, *)" \
    "an unknown report" report nosuch
t_fail 64 "senco: report: which one? caseload, *" "no report named" report
t_fail 64 "senco: report caseload: --days is not an option of this report *" \
    "an option another report takes" report caseload --days 3
t_fail 64 "senco: report caseload: format 'pdf' is not table, csv, tsv or md *" \
    "an unknown format" report caseload --format pdf
t_fail 64 "senco: report caseload: unexpected argument 'x' *" \
    "an extra argument" report caseload x
t_fail 65 "senco: --days: 'x' is not a whole number from 0 to 3660" \
    "days not a number" report reviews --days x
t_fail 65 "senco: --today: *" "a bad date" report reviews --today 31/02/2026
t_fail 64 "senco: report exclusions: the period starts (01/02/2026) after it ends (01/01/2026) *" \
    "a period backwards" report exclusions --from 01/02/2026 --to 01/01/2026
t_fail 64 "senco: report cluster: --merge needs the returns to add *" \
    "merge with no file" report cluster --merge
t_fail 66 "senco: $T/nothing.csv: *" "merge a missing file" \
    report cluster --merge "$T/nothing.csv"
t_fail 65 "senco: */tests/data/sims.csv: not a senco cluster return *" \
    "merge a file that is not a return" report cluster --merge \
    "$SENCO_SRCDIR/tests/data/sims.csv"
t_fail 65 "senco: */bad_return.csv:7: count '3' is not a number of 0 or 5 and more, '<5', 'c' or '>=N'" \
    "merge a return with a small number shown" report cluster --merge \
    "$T/a.csv" "$D/bad_return.csv"
grep -v ',need,HI,' "$D/return_b.csv" >"$T/short.csv"
t_fail 65 "senco: $T/short.csv: no line for 'need, HI' *" \
    "merge a return with a line missing" report cluster --merge "$T/short.csv"
run report cluster --days 14 --format csv
cp "$OUT" "$T/a14.csv"
t_fail 65 "senco: $T/a14.csv: the returns count reviews due over different windows (28 and 14 days)" \
    "merge returns of different windows" report cluster --merge "$D/return_b.csv" "$T/a14.csv"
t_fail 66 "senco: $T/none.db: no caseload there *" "no caseload" \
    --db "$T/none.db" report caseload

# --- reports only read -------------------------------------------------------------------
t_ok "a report on a read-only caseload" --read-only report provision
t_unchanged "reports changed nothing"

finish
