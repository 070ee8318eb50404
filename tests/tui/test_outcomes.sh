#!/bin/sh
# Outcomes in the full-screen interface, on the fixture caseload and four
# pupils without SEN (today 10/03/2026), figures worked out by hand:
#   reading at three points, N: Ada, Ben, Cara, Dev; K: Zoë, Siobhán,
#   Nguyễn, Tom (李 Wei has none); E: Łukasz:
#     KS1 2023 (bands)       N EXS EXS GDS WTS  3/4 75%   K WTS EXS WTS WTS
#                            1/4 25%   E WTS 0/1; national 68: K gap 43
#     Y4 Summer 2024 (score) N 104 101 112 97 3/4   K 96 103 100 94 2/4 50%
#                            E 88 0/1; no national figure
#     Y5 Autumn 2025 (score) N 108 103 115 100 4/4 100%   K 101 105 99 100
#                            3/4 75%   E 92 0/1; national 70: K gap -5,
#                            N gap -30, E gap 70
#   so K's gap to national went 43 -> -5 (closing by 48), E's 68 -> 70
#   (WIDENING by 2); maths only at Y5 Autumn 2025.
#   attendance, Summer 2025 / Autumn 2025 / Spring 2026:
#     N: Ada 97 96 98, Ben 95 94 96, Cara 99 98 97, Dev 88 90 92
#        means 94.75 94.5 95.75
#     K: Zoë 85 88 91, Siobhán 92 93 94, Nguyễn 80 84 89, 李 95 95 95,
#        Tom 90 91 92: means 88.4 90.2 92.2; persistent (< 90) in Spring
#        2026: Nguyễn 89: 1/5 20%
#     E: Łukasz 78 82 86: 78 82 86 (persistent 1/1 100%)
#   gap N-K Summer 2025 94.75 - 88.4 = 6.35 (6.3 shown), Spring 2026
#   95.75 - 92.2 = 3.55 (3.5): closing by 2.8; N-E 16.75 (16.8) -> 9.75
#   (9.8): closing by 7.0.
# Then a pupil's Results pane, and Enter on the EHC screen.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 30

tui_fixture
A=F801200025007
B=V801200025008
C=J801200025009
D=V801200025010
cat >"$XDG_CONFIG_HOME/senco.conf" <<'CONF'
national = (
	{ point = "KS1 2023"; subject = "reading"; expected = 68; },
	{ point = "Y5 Autumn 2025"; subject = "reading"; expected = 70; }
);
CONF
mkdir -p "$XDG_CONFIG_HOME/senco"
mv "$XDG_CONFIG_HOME/senco.conf" "$XDG_CONFIG_HOME/senco/senco.conf"
Z=$TUI_UPN_ZOE; S=$TUI_UPN_SIOBHAN; L=$TUI_UPN_LUKASZ
G=$TUI_UPN_NGUYEN; W=$TUI_UPN_LI; T=$TUI_UPN_ADAMS
cat >"$TUI_DIR/results.csv" <<CSV
UPN,Subject,Assessment Point,Result
$A,Reading,KS1 2023,EXS
$B,Reading,KS1 2023,EXS
$C,Reading,KS1 2023,GDS
$D,Reading,KS1 2023,WTS
$Z,Reading,KS1 2023,WTS
$S,Reading,KS1 2023,EXS
$G,Reading,KS1 2023,WTS
$T,Reading,KS1 2023,WTS
$L,Reading,KS1 2023,WTS
$A,Reading,Y4 Summer 2024,104
$B,Reading,Y4 Summer 2024,101
$C,Reading,Y4 Summer 2024,112
$D,Reading,Y4 Summer 2024,97
$Z,Reading,Y4 Summer 2024,96
$S,Reading,Y4 Summer 2024,103
$G,Reading,Y4 Summer 2024,100
$T,Reading,Y4 Summer 2024,94
$L,Reading,Y4 Summer 2024,88
$A,Reading,Y5 Autumn 2025,108
$B,Reading,Y5 Autumn 2025,103
$C,Reading,Y5 Autumn 2025,115
$D,Reading,Y5 Autumn 2025,100
$Z,Reading,Y5 Autumn 2025,101
$S,Reading,Y5 Autumn 2025,105
$G,Reading,Y5 Autumn 2025,99
$T,Reading,Y5 Autumn 2025,100
$L,Reading,Y5 Autumn 2025,92
$A,Maths,Y5 Autumn 2025,99
$Z,Maths,Y5 Autumn 2025,95
$L,Maths,Y5 Autumn 2025,85
$Z,Reading age,Y5 Autumn 2025,8:06
CSV
cat >"$TUI_DIR/attendance.csv" <<CSV
UPN,Term,Attendance %
$A,Summer 2025,97
$A,Autumn 2025,96
$A,Spring 2026,98
$B,Summer 2025,95
$B,Autumn 2025,94
$B,Spring 2026,96
$C,Summer 2025,99
$C,Autumn 2025,98
$C,Spring 2026,97
$D,Summer 2025,88
$D,Autumn 2025,90
$D,Spring 2026,92
$Z,Summer 2025,85
$Z,Autumn 2025,88
$Z,Spring 2026,91
$S,Summer 2025,92
$S,Autumn 2025,93
$S,Spring 2026,94
$G,Summer 2025,80
$G,Autumn 2025,84
$G,Spring 2026,89
$W,Summer 2025,95
$W,Autumn 2025,95
$W,Spring 2026,95
$T,Summer 2025,90
$T,Autumn 2025,91
$T,Spring 2026,92
$L,Summer 2025,78
$L,Autumn 2025,82
$L,Spring 2026,86
CSV
{
	for p in "$A Ada Achebe" "$B Ben Okoro" "$C Cara Murphy" "$D Dev Patel"; do
		set -- $p
		sen pupil add --upn $1 --forename $2 --surname $3 \
		    --dob 2016-05-01 --year 5 --status N || exit 1
	done
	sen results import "$TUI_DIR/results.csv" &&
	sen attendance import "$TUI_DIR/attendance.csv" &&
	sen ehc add $G --sent 2025-11-28 --received 2025-12-01 \
	    --requested-by parent
} >/dev/null 2>"$TUI_DIR/setup.err" ||
    { echo "Bail out! setup: $(cat "$TUI_DIR/setup.err")"; exit 1; }

# the line of the screen holding TEXT, squeezed to single spaces
line_of() {
	tui_screen | grep -F -- "$1" | head -1 | tr -s ' '
}
# does the line holding TEXT end with WANT (squeezed)?
ends() {
	case "$(line_of "$1")" in
	*"$2") return 0 ;;
	*) return 1 ;;
	esac
}
has_bar() {
	line_of "$1" | grep -q "$2"
}

# --- the dashboard ---------------------------------------------------------
tui_start
tui_wait "Next review"
tui_keys D
tui_wait "Dashboard"
# subjects in order: maths, reading, reading age; reading first (no rwm)
tui_keys s
check "s charts the next subject and says which" \
    tui_wait "attainment of reading age (3 of 3 subjects)"
tui_keys s s
check "round to reading again" \
    tui_wait "attainment of reading (2 of 3 subjects)"
check "the chart of reading at its latest point comes into view" \
    tui_wait "Attainment gap: reading at Y5 Autumn 2025 (s: another subject)"
check "N: 4 of 4, above national" \
    ends "N no SEN" "4/4 100 (Gap = -30%)"
check "K: 3 of 4, 75, five points above national" \
    ends "K SEN support" "3/4 75 (Gap = -5%)"
check "E: 0 of 1, gap 70" ends "E EHC plan" "0/1 0 (Gap = 70%)"
check "the K bar is block characters with the national rule" \
    has_bar "K SEN support" "█*│▌"
check "the national figure is a bar of its own" ends "  national  " " 70"
check "the trend is oldest first" \
    tui_wait "Is the gap closing? reading, the last 3 points, oldest first"
check "K at the point with no national figure: 2 of 4, 50" \
    ends "Y4 Summer 2024" "2/4 50"
check "K's gap to national is closing, in words" \
    tui_wait "K: gap to national 43 -> -5 points since KS1 2023: closing by 48"
check "E's gap to national is widening, in words" \
    tui_wait "E: gap to national 68 -> 70 points since KS1 2023: WIDENING by 2"
tui_keys PgDn
check "attendance in the latest term" \
    tui_wait "Attendance: Spring 2026, the mean of pupils' attendance"
check "K: 5 pupils, 92.2%, gap 3.5 to no SEN" \
    ends "K SEN support" "5 92.2% gap 3.5"
check "persistent absence of K: 1 of 5" \
    tui_wait "Persistently absent (under 90%): Spring 2026"
check "K's attendance gap by term is closing" \
    tui_wait "K: gap to no SEN 6.3 -> 3.5 points since Summer 2025: closing by 2.8"
check "E's too" \
    tui_wait "E: gap to no SEN 16.8 -> 9.8 points since Summer 2025: closing by 7.0"
check "each term of K is a bar with the 90% rule" \
    has_bar "Summer 2025" "█[▏▎▍▌▋▊▉]*│"
tui_keys q q
tui_exited

# without UTF-8 the same charts in '#' and '|', and no colour
tui_start LANG=C LC_ALL=C NO_COLOR=1
tui_wait "Next review"
tui_keys D
tui_wait "Dashboard"
tui_keys s s s
tui_wait "Attainment gap: reading at Y5 Autumn 2025"
check "without UTF-8 the bars are # with | for national" \
    has_bar "K SEN support" "#*|#"
tui_keys q q
tui_exited

# --- a pupil's results -----------------------------------------------------
tui_start
tui_wait "Next review"
tui_keys : ; tui_type "goto $Z"; tui_keys Enter
tui_wait "UPN $Z"
tui_keys 5
check "5 shows the Results pane" tui_wait "[5 Results]"
check "a band below expected" ends "KS1 2023" "WTS below expected"
check "a score at the expected standard" ends "Y5 Autumn 2025" \
    "101 expected"
check "an age with no date is not judged, in words" \
    tui_wait "8:06  not judged (no date)"
check "attendance by term with persistent absence in words" \
    ends "Summer 2025" "85.0% persistently absent"
check "the score's bar reaches the expected rule" \
    has_bar "Y5 Autumn 2025" "█│"

# --- Enter on the EHC screen opens the pupil -------------------------------
tui_keys q
tui_wait "Next review"
tui_keys X
tui_wait "Open EHC needs assessment requests: 1"
check "the first request is selected" tui_wait "> Nguyễn, Văn An"
tui_keys Enter
check "Enter opens the pupil of the request" tui_wait "UPN $G"
tui_keys q
tui_wait "Open EHC needs assessment requests"
tui_keys j
check "j moves to the EHC plan's line" tui_wait "> Nowak, Łukasz"
tui_keys Enter
check "Enter opens the pupil of the plan" tui_wait "UPN $L"
tui_keys X
tui_wait "EHC needs assessment requests: 0"
tui_keys q q q
check "back on the register" tui_wait "Next review"
tui_done
