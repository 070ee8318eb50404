#!/bin/sh
# test_plan.sh: senco plan UPN in each format on the caseload of
# tests/data/report/caseload.sh and a pupil whose name needs escaping;
# -o files made 0600 and never written over; refusals; and the HTML
# rendered by headless Chromium to PDF (A4, with the pupil's name and a
# target in its text) and PNG. The Chromium checks are skipped when
# chromium is not installed, the PDF checks when poppler-utils are not.
. "$SENCO_SRCDIR/tests/lib.sh"
. "$SENCO_SRCDIR/tests/data/report/caseload.sh"

UPN=D801200005012
NAME='Zoë "Zo" O'"'"'Brien <Smith> & Co'

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

report_caseload
_r pupil add --upn "$UPN" --surname "O'Brien <Smith> & Co" \
    --forename 'Zoë "Zo"' --dob 03/04/2016 --year 4 --class 4B \
    --status K --need SLCN --need ASD --since 01/09/2025 \
    --flags PP,FSM,CiC --attendance 87.5
_r cycle start "$UPN" --start 05/01/2026 --review 27/03/2026
_r cycle edit "$UPN" --pupil 'I like <b>reading</b> & maths' \
    --parent 'She reads to her brother at home. We would like more help with spelling.' \
    --notes assess='STAFF-ONLY-NOTE'
_r target add "$UPN" --text 'Read 50 common exception words by sight' \
    --criteria 'Reads 45 of 50 in two checks a week apart' \
    --baseline 'Reads 20 of 50' --area CL
_r target add "$UPN" --text 'Ask an adult for help using the help card' \
    --criteria 'Asks 3 times in a week, unprompted' --area CI
_r target rate "$UPN" 1 1 --date 06/01/2026 --comment 'A good start'
_r target rate "$UPN" 1 2 --date 12/01/2026
_r target rate "$UPN" 2 3 --date 14/01/2026
_r intervention enrol "$UPN" Phonics --start 05/01/2026 --sessions 3 \
    --minutes 30 --group 3 --staff 'Mrs Okafor' --end 27/03/2026
_r agency add "$UPN" --agency SALT --referred 01/10/2025 \
    --advice 15/11/2025 --notes 'Use visual prompts & <symbols>'
_r exclusion add "$UPN" --date 12/01/2026 --kind suspension --sessions 1 \
    --reason 'EXCLUSION-REASON'
_r note add "$UPN" --text 'CONTACT-NOTE'
snapshot

# --- each format -------------------------------------------------------------------
t_ok "plan as HTML (the default)" plan "$UPN"
t_out "HTML: a document" "^<!DOCTYPE html>$"
t_has "HTML: the school, escaped" "Oakfield &amp; &lt;Primary&gt;"
t_has "HTML: the name, escaped" "Zoë &quot;Zo&quot; O&#39;Brien &lt;Smith&gt; &amp; Co"
t_hasnt "HTML: no raw <Smith>" "<Smith>"
t_has "HTML: the voice, escaped" "I like &lt;b&gt;reading&lt;/b&gt; &amp; maths"
t_has "HTML: A4" "@page{size:A4;"
t_hasnt "HTML: no script" "<script"
t_hasnt "HTML: nothing fetched (http)" "http:"
t_hasnt "HTML: nothing fetched (https)" "https:"
t_hasnt "HTML: nothing fetched (url)" "url("
for h in "About Zoë &quot;Zo&quot;" Needs Views Targets "Support in place" \
    "Advice from outside agencies" Review "Agreed by"; do
	t_has "HTML: the section $h" "<h2>$h</h2>"
done
t_has "HTML: a target" "Target 1: Read 50 common exception words by sight"
t_has "HTML: its criteria" "Reads 45 of 50 in two checks a week apart"
t_has "HTML: a rating" "<td>12/01/2026</td>"
t_has "HTML: the provision" "3 sessions a week of 30 minutes, in a group of 3"
t_has "HTML: the agency's advice" "Use visual prompts &amp; &lt;symbols&gt;"
t_has "HTML: the next review" "27/03/2026"
t_hasnt "HTML: no UPN" "$UPN"
t_hasnt "HTML: no FSM" "FSM"
t_hasnt "HTML: no attendance" "87.5"
t_hasnt "HTML: no staff notes" "STAFF-ONLY-NOTE"
t_hasnt "HTML: no exclusion" "EXCLUSION-REASON"
t_hasnt "HTML: no contact log" "CONTACT-NOTE"

t_ok "plan as markdown" plan "$UPN" --format md
t_out "markdown: the title" '^# SEN support plan: Zoë "Zo" O'"'"'Brien \\<Smith> \\& Co$'
t_out "markdown: sections" "^## Support in place$"
t_has "markdown: a rating row" "| 06/01/2026 | #... | 1 emerging | A good start |"
t_hasnt "markdown: no UPN" "$UPN"

t_ok "plan as text" plan "$UPN" --format txt
t_out "text: the title" "^SEN support plan: $NAME$"
t_has "text: the next review" "  Next review:          27/03/2026"
t_has "text: a rating" "      12/01/2026  [##..]  2 developing"
t_check "text: no line wider than 80 columns" \
    sh -c "test \$(wc -L <'$OUT') -le 80"
t_check "text: no trailing spaces" sh -c "! grep -q ' \$' '$OUT'"
t_hasnt "text: no UPN" "$UPN"

t_ok "a lower-case UPN" plan "$(echo "$UPN" | tr D d)" --format txt
t_ok "a pupil without a plan" plan "$R_IVY" --format txt
t_has "no plan yet" "No targets set yet."
t_ok "a pupil who left" plan "$R_JO" --format md

# --- -o FILE ----------------------------------------------------------------------------
umask 022
t_ok "write the plan to a file" plan "$UPN" -o "$T/plan.html"
t_out "says where it went" "^Wrote the plan of O'Brien <Smith> & Co, Zoë \"Zo\" ($UPN) to $T/plan.html\.$"
t_check "the file is private (0600)" \
    sh -c "test \"\$(stat -c %a '$T/plan.html')\" = 600"
t_check "the file is the HTML plan" grep -q '^<!DOCTYPE html>$' "$T/plan.html"
cp "$T/plan.html" "$T/plan.copy"
t_fail 73 "senco: $T/plan.html: already exists; senco does not write over a file (choose another name)" \
    "an existing file is refused" plan "$UPN" -o "$T/plan.html" --format txt
t_check "the existing file is untouched" cmp -s "$T/plan.html" "$T/plan.copy"
t_ok "--output FILE.md gives markdown" plan "$UPN" --output "$T/plan.md"
t_check "the .md file is markdown" grep -q '^# SEN support plan' "$T/plan.md"
t_ok "-o FILE.txt gives text" plan "$UPN" -o "$T/plan.txt"
t_check "the .txt file is text" grep -q '^Oakfield & <Primary>$' "$T/plan.txt"
t_ok "--format wins over the file's ending" plan "$UPN" -o "$T/other.md" --format html
t_check "... so it is HTML" grep -q '^<!DOCTYPE html>$' "$T/other.md"

# --- refusals ----------------------------------------------------------------------------
t_fail 64 "senco: plan: missing UPN *" "no UPN" plan
t_fail 65 "senco: UPN 'D801200005013' has the wrong check letter: it should be T *" "a UPN with a wrong check letter" \
    plan D801200005013
t_fail 66 "senco: UPN W801200005015: no such pupil in *" "an unknown pupil" \
    plan W801200005015
t_fail 64 "senco: plan: format 'pdf' is not html, md or txt *" "an unknown format" \
    plan "$UPN" --format pdf
t_fail 64 "senco: plan: option '-o' needs a value *" "-o without a file" \
    plan "$UPN" -o
t_fail 64 "senco: plan: unknown option '-x' *" "an unknown option" plan "$UPN" -x
t_fail 66 "senco: UPN W801200005015: no such pupil in *" \
    "no file is left for an unknown pupil" plan W801200005015 -o "$T/nobody.html"
t_check "... none" test ! -e "$T/nobody.html"
t_unchanged "a plan changes nothing in the caseload"

# --- rendered by a browser ---------------------------------------------------------------
CHROMIUM=
for c in chromium chromium-browser; do
	if command -v "$c" >/dev/null 2>&1; then
		CHROMIUM=$c
		break
	fi
done
TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout 120"

# Headless, offline and with a profile of its own in the test directory.
browser() {
	$TIMEOUT "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-dev-shm-usage --no-first-run \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --user-data-dir="$T/prof" "$@" \
	    >"$T/chromium.out" 2>&1
}

if [ -z "$CHROMIUM" ]; then
	for d in "Chromium prints the plan to PDF" "the PDF is A4" \
	    "the PDF has the pupil's name" "the PDF has a target" \
	    "Chromium renders the plan to PNG"; do
		skip "$d" "chromium is not installed"
	done
else
	browser --print-to-pdf="$T/plan.pdf" "file://$T/plan.html"
	t_check "Chromium prints the plan to PDF" test -s "$T/plan.pdf"
	if command -v pdfinfo >/dev/null 2>&1 &&
	    command -v pdftotext >/dev/null 2>&1; then
		pdfinfo "$T/plan.pdf" >"$T/pdfinfo" 2>&1
		t_check "the PDF is A4 (595 x 842 pts)" grep -Eq \
		    '^Page size: +59[45](\.[0-9]+)? x 84[12](\.[0-9]+)? pts' \
		    "$T/pdfinfo"
		pdftotext -enc UTF-8 "$T/plan.pdf" "$T/plan.pdf.txt" 2>/dev/null
		t_check "the PDF has the pupil's name" grep -qF \
		    "O'Brien <Smith> & Co" "$T/plan.pdf.txt"
		t_check "the PDF has a target" grep -qF \
		    "Read 50 common exception words by sight" "$T/plan.pdf.txt"
	else
		skip "the PDF is A4" "pdfinfo (poppler-utils) is not installed"
		skip "the PDF has the pupil's name" "pdftotext is not installed"
		skip "the PDF has a target" "pdftotext is not installed"
	fi
	browser --screenshot="$T/plan.png" --window-size=900,2400 \
	    "file://$T/plan.html"
	t_check "Chromium renders the plan to PNG" sh -c \
	    "test -s '$T/plan.png' && head -c 8 '$T/plan.png' | od -An -c | grep -q 'P   N   G'"
fi

finish
