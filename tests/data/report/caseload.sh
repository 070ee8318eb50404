# tests/data/report/caseload.sh: the small caseload that the tests of
# senco report and senco plan run on, made through the command line.
# Sourced after tests/lib.sh (today is 2026-01-15); the figures the
# reports must give are worked out by hand in tests/cli/test_report.sh.
#
#  UPN            pupil           st need yr  cycle 05/01 -> review
#  B801200005001  Ash, Ada         K SLCN 3   12/01 (overdue)  4
#  Q801200005002  Birch, Ben       K MLD  3   15/01 (today)    2, 4
#  E801200005003  Cedar, Cai       E ASD  4   05/02 (+21)      1
#  U801200005004  Dogwood, Dee     K SEMH 4   20/02 (+36)      no targets
#  H801200005005  Elm, Zoë         K SPLD 5   26/01 (+11)      1, 3, none
#  X801200005006  Fir, Łukasz      N      5
#  L801200005007  Gum, Siobhán     N      3
#  A801200005008  Hazel, Nguyễn    N      R
#  P801200005009  Ivy, 李          K NSA  5   no cycle
#  A801200005010  Juniper, Jo      K MLD  6   left 10/01/2026

R_ADA=B801200005001
R_BEN=Q801200005002
R_CAI=E801200005003
R_DEE=U801200005004
R_ZOE=H801200005005
R_LUKASZ=X801200005006
R_SIOBHAN=L801200005007
R_NGUYEN=A801200005008
R_IVY=P801200005009
R_JO=A801200005010

# The configuration: the school's name (with characters that need
# escaping) and a roll of 20.
report_config() {
	mkdir -p "$XDG_CONFIG_HOME/senco"
	cat >"$XDG_CONFIG_HOME/senco/senco.conf" <<'CONF'
school = {
    name = "Oakfield & <Primary>";
    roll = 20;
};
CONF
}

# Run senco; stop the test script if the fixture cannot be made.
_r() {
	"$SENCO" "$@" >/dev/null 2>"$T/fixture.err" || {
		echo "Bail out! fixture: senco $* failed: $(cat "$T/fixture.err")"
		exit 1
	}
}

_p() {	# UPN SURNAME FORENAME YEAR [STATUS NEED]
	if [ $# -gt 4 ]; then
		_r pupil add --upn "$1" --surname "$2" --forename "$3" \
		    --dob 2016-09-01 --year "$4" --status "$5" --need "$6" \
		    --since 01/09/2025
	else
		_r pupil add --upn "$1" --surname "$2" --forename "$3" \
		    --dob 2016-09-01 --year "$4"
	fi
}

report_caseload() {
	report_config
	_r init
	_p "$R_ADA" Ash Ada 3 K SLCN
	_p "$R_BEN" Birch Ben 3 K MLD
	_p "$R_CAI" Cedar Cai 4 E ASD
	_p "$R_DEE" Dogwood Dee 4 K SEMH
	_p "$R_ZOE" Elm Zoë 5 K SPLD
	_p "$R_LUKASZ" Fir Łukasz 5
	_p "$R_SIOBHAN" Gum Siobhán 3
	_p "$R_NGUYEN" Hazel Nguyễn R
	_p "$R_IVY" Ivy 李 5 K NSA
	_p "$R_JO" Juniper Jo 6 K MLD

	_r cycle start "$R_ADA" --start 05/01/2026 --review 12/01/2026
	_r target add "$R_ADA" --text "Read 50 common exception words" \
	    --criteria "Reads 45 of 50 in two checks" --area CL
	_r target rate "$R_ADA" 1 4
	_r cycle start "$R_BEN" --start 05/01/2026 --review 15/01/2026
	_r target add "$R_BEN" --text "Count on in tens to 100"
	_r target add "$R_BEN" --text "Write a sentence with a full stop"
	_r target rate "$R_BEN" 1 2
	_r target rate "$R_BEN" 2 4
	_r cycle start "$R_CAI" --start 05/01/2026 --review 05/02/2026
	_r target add "$R_CAI" --text "Take turns in a game of four"
	_r target rate "$R_CAI" 1 1
	_r cycle start "$R_DEE" --start 05/01/2026 --review 20/02/2026
	_r cycle start "$R_ZOE" --start 05/01/2026 --review 26/01/2026
	_r target add "$R_ZOE" --text "Spell 20 words of the year 3/4 list"
	_r target add "$R_ZOE" --text "Use a word bank when writing"
	_r target add "$R_ZOE" --text "Read a page aloud at 60 words a minute"
	_r target rate "$R_ZOE" 1 1
	_r target rate "$R_ZOE" 2 3

	_r intervention add --name Phonics --cost-per-session 12 --area CL
	_r intervention add --name "TA support" --cost-per-hour 20
	_r intervention add --name Speech --cost-per-hour 45 --area CI
	_r intervention add --name Reading --cost-per-session 10 --area CL
	_r intervention enrol "$R_ADA" Phonics --start 05/01/2026 --sessions 3 \
	    --minutes 30 --group 3 --staff "Mrs Okafor"
	_r intervention enrol "$R_BEN" Phonics --start 05/01/2026 --sessions 3 \
	    --minutes 30 --group 3 --staff "Mrs Okafor"
	_r intervention enrol "$R_CAI" "TA support" --start 01/09/2025 \
	    --sessions 5 --minutes 60
	_r intervention enrol "$R_CAI" Speech --start 05/01/2026 --sessions 2 \
	    --minutes 60
	_r intervention enrol "$R_ZOE" Reading --start 08/09/2025 --sessions 3 \
	    --minutes 20 --group 4 --measure "Salford reading age" \
	    --measure-kind age --entry 84
	_r intervention exit "$R_ZOE" Reading --score 92 --date 08/12/2025
	_r intervention enrol "$R_LUKASZ" Reading --start 08/09/2025 \
	    --sessions 3 --minutes 20 --group 4 \
	    --measure "Salford reading age" --measure-kind age --entry 80
	_r intervention exit "$R_LUKASZ" Reading --score 83 --date 08/11/2025

	_r exclusion add "$R_ADA" --date 01/10/2025 --kind suspension \
	    --sessions 2
	_r exclusion add "$R_ADA" --date 12/01/2026 --kind suspension \
	    --sessions 1
	_r exclusion add "$R_DEE" --date 11/11/2025 --kind suspension \
	    --sessions 4
	_r exclusion add "$R_LUKASZ" --date 01/12/2025 --kind suspension \
	    --sessions 2
	_r exclusion add "$R_JO" --date 09/01/2026 --kind permanent
	_r pupil archive "$R_JO" --left 10/01/2026
}
