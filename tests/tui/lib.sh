# tests/tui/lib.sh: shared by the end-to-end tests of the full-screen
# interface. Sourced, POSIX sh. Runs the real senco in a detached tmux
# session of fixed size on a private socket, with HOME, the XDG
# directories and the caseload in a temporary directory, and prints TAP.
#
#   . "$SENCO_SRCDIR/tests/tui/lib.sh"
#   tui_plan 3
#   tui_demo                      # a demo caseload in $TUI_DB
#   tui_start                     # senco --db $TUI_DB in tmux, 80x24
#   tui_wait "Next review" && ok "register shows" || not_ok "register shows"
#   tui_keys j j Enter
#   ...
# make check exports SENCO, SENCO_SRCDIR and TMUX_BIN.

: "${SENCO:?SENCO must name the senco binary}"
: "${SENCO_SRCDIR:=.}"

# Polling: every TUI_POLL seconds, at most TUI_TRIES times (5 s).
TUI_POLL=0.1
TUI_TRIES=50
TUI_N=0
TUI_FAILED=0

tui_plan() {
	if [ -z "${TMUX_BIN:-}" ]; then
		echo "1..0 # SKIP no tmux"
		exit 0
	fi
	echo "1..$1"
	TUI_DIR=$(mktemp -d "${TMPDIR:-/tmp}/senco-tui.XXXXXX") || exit 1
	# one tmux server per start: a server that is shutting down after
	# senco quit must not be raced by the next start
	TUI_SOCK_BASE="senco-tui-$$-$(basename "$0" .sh)"
	TUI_STARTS=0
	TUI_SOCK="$TUI_SOCK_BASE-0"
	TUI_DB="$TUI_DIR/caseload.db"
	HOME="$TUI_DIR/home"
	XDG_CONFIG_HOME="$TUI_DIR/config"
	XDG_DATA_HOME="$TUI_DIR/data"
	SENCO_TODAY=2026-03-10
	LANG=C.UTF-8
	LC_ALL=C.UTF-8
	TERM=xterm-256color
	export HOME XDG_CONFIG_HOME XDG_DATA_HOME SENCO_TODAY LANG LC_ALL TERM
	unset SENCO_CONFIG NO_COLOR ESCDELAY TMUX
	mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
	trap tui_cleanup EXIT
	trap 'exit 1' INT TERM HUP
}

tui_cleanup() {
	_i=0
	while [ $_i -le "${TUI_STARTS:-0}" ]; do
		"$TMUX_BIN" -L "$TUI_SOCK_BASE-$_i" kill-server >/dev/null 2>&1
		_i=$((_i + 1))
	done
	rm -rf "$TUI_DIR"
}

ok() {
	TUI_N=$((TUI_N + 1))
	echo "ok $TUI_N - $1"
}

not_ok() {
	TUI_N=$((TUI_N + 1))
	TUI_FAILED=$((TUI_FAILED + 1))
	echo "not ok $TUI_N - $1"
	echo "# screen at the failure:"
	tui_screen 2>/dev/null | sed 's/^/#   /'
}

# check DESCRIPTION COMMAND...: ok when the command succeeds (its
# output is dropped: it must not look like TAP).
check() {
	_d=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$_d"; else not_ok "$_d"; fi
}

tmx() {
	"$TMUX_BIN" -L "$TUI_SOCK" -f /dev/null "$@"
}

# A demo caseload (seeded, so the same pupils every run).
tui_demo() {
	"$SENCO" --db "$TUI_DB" demo >/dev/null 2>&1 ||
	    { echo "Bail out! senco demo failed"; exit 1; }
}

# tui_start [VAR=value ...] [-- senco args]: start senco in a new
# session (80x24) on the test caseload; extra env first.
tui_start() {
	_env=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_env="$_env $1"
		shift
	done
	[ "${1:-}" = "--" ] && shift
	TUI_STARTS=$((TUI_STARTS + 1))
	TUI_SOCK="$TUI_SOCK_BASE-$TUI_STARTS"
	# shellcheck disable=SC2086
	tmx new-session -d -x 80 -y 24 -- env $_env "$SENCO" --db "$TUI_DB" \
	    "$@"
	TUI_PID=$(tmx display-message -p '#{pane_pid}' 2>/dev/null)
}

tui_screen() {
	tmx capture-pane -p
}

# The screen with attributes as escape sequences.
tui_screen_attr() {
	tmx capture-pane -p -e
}

# tui_wait TEXT: wait until TEXT (fixed string) is on the screen.
tui_wait() {
	_i=0
	while [ $_i -lt $TUI_TRIES ]; do
		if tui_screen 2>/dev/null | grep -F -q -- "$1"; then
			return 0
		fi
		sleep $TUI_POLL
		_i=$((_i + 1))
	done
	return 1
}

# tui_gone TEXT: wait until TEXT is no longer on the screen.
tui_gone() {
	_i=0
	while [ $_i -lt $TUI_TRIES ]; do
		if ! tui_screen 2>/dev/null | grep -F -q -- "$1"; then
			return 0
		fi
		sleep $TUI_POLL
		_i=$((_i + 1))
	done
	return 1
}

# tui_line N: line N (1-based) of the screen.
tui_line() {
	tui_screen | sed -n "${1}p"
}

tui_keys() {
	tmx send-keys "$@"
}

# Type text literally (UTF-8 welcome).
tui_type() {
	tmx send-keys -l -- "$1"
}

# Is process $1 running? A zombie is not (in a container nobody may
# reap a process whose tmux server has gone).
tui_alive() {
	if [ -r "/proc/$1/stat" ]; then
		! grep -q '^[0-9]* ([^)]*) [ZX]' "/proc/$1/stat" 2>/dev/null
	else
		kill -0 "$1" 2>/dev/null
	fi
}

# Wait until senco has exited.
tui_exited() {
	_i=0
	while [ $_i -lt $TUI_TRIES ]; do
		if [ -n "${TUI_PID:-}" ] && ! tui_alive "$TUI_PID"; then
			return 0
		fi
		if [ -z "${TUI_PID:-}" ] && ! tmx has-session 2>/dev/null; then
			return 0
		fi
		sleep $TUI_POLL
		_i=$((_i + 1))
	done
	return 1
}

# senco's CLI on the test caseload.
sen() {
	"$SENCO" --db "$TUI_DB" "$@"
}

tui_done() {
	tmx kill-server >/dev/null 2>&1
	[ "$TUI_FAILED" -eq 0 ]
}

# A small caseload with the names the columns must line up: each pupil
# on SEN support with an open cycle; Brown, Zoë has two targets.
# UPNs: LA 801, school 2000, 2025, serials 1.. (check letters worked out).
TUI_UPN_ZOE=W801200025001
TUI_UPN_SIOBHAN=K801200025002
TUI_UPN_LUKASZ=Z801200025003
TUI_UPN_NGUYEN=N801200025004
TUI_UPN_LI=C801200025005
TUI_UPN_ADAMS=R801200025006

tui_fixture() {
	{
		sen init &&
		sen pupil add --upn $TUI_UPN_ZOE --surname Brown \
		    --forename Zoë --dob 2016-04-03 --year 5 --status K \
		    --since 2024-09-01 --need SLCN &&
		sen pupil add --upn $TUI_UPN_SIOBHAN --surname "O'Neill" \
		    --forename Siobhán --dob 2015-02-11 --year 6 --status K \
		    --since 2024-09-01 --need SPLD &&
		sen pupil add --upn $TUI_UPN_LUKASZ --surname Nowak \
		    --forename Łukasz --dob 2017-06-20 --year 4 --status E \
		    --since 2023-01-10 --need ASD &&
		sen pupil add --upn $TUI_UPN_NGUYEN --surname Nguyễn \
		    --forename "Văn An" --dob 2016-10-01 --year 5 --status K \
		    --since 2025-01-06 --need SEMH &&
		sen pupil add --upn $TUI_UPN_LI --surname 李 --forename Wei \
		    --dob 2018-03-03 --year 3 --status K --since 2025-09-01 \
		    --need SLCN &&
		sen pupil add --upn $TUI_UPN_ADAMS --surname Adams \
		    --forename Tom --dob 2016-01-05 --year 5 --status K \
		    --since 2025-09-01 --need MLD &&
		sen cycle start $TUI_UPN_ZOE --start 2026-01-05 \
		    --review 2026-03-30 &&
		sen target add $TUI_UPN_ZOE --text "Read 20 common exception words" \
		    --criteria "Reads 18 of 20 in a check" --area CL &&
		sen target add $TUI_UPN_ZOE --text "Ask for help with the help card" \
		    --area SEMH &&
		sen cycle start $TUI_UPN_LI --start 2025-11-03 \
		    --review 2026-02-02
	} >/dev/null 2>"$TUI_DIR/fixture.err" ||
	    { echo "Bail out! fixture: $(cat "$TUI_DIR/fixture.err")"; exit 1; }
}
