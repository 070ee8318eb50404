# tests/lib.sh: shared by the command-line tests in tests/cli/ (POSIX sh).
#
# A test script sources this file, runs the built senco ($SENCO) through
# its commands, and prints TAP. Everything happens in a fresh directory
# from mktemp -d with HOME and the XDG directories pointed inside it, so
# the real home directory is never read or written; the directory goes
# when the script ends.
#
#   run ARGS...            run senco; sets RC, OUT (file), ERR (file)
#   t_ok DESC ARGS...      passes if senco exits 0 with nothing on stderr
#   t_fail STATUS LINE DESC ARGS...
#                          passes if senco exits STATUS and prints exactly
#                          one line on stderr matching LINE (a shell
#                          pattern: * and ? are wildcards)
#   t_out DESC PATTERN     the last output has a line matching PATTERN
#   t_no_out DESC PATTERN  ... and has no such line
#   t_check DESC COMMAND...  passes if the shell command succeeds
#   skip DESC REASON       a test that cannot run here
#   snapshot / t_unchanged DESC
#                          prove a refused command wrote nothing
#   finish                 print the plan; exit 0 only if all passed

: "${SENCO:?SENCO must name the senco binary under test}"
: "${SENCO_SRCDIR:?SENCO_SRCDIR must name the source tree}"

T=$(mktemp -d "${TMPDIR:-/tmp}/senco-cli.XXXXXX") || {
	echo "Bail out! mktemp -d failed"
	exit 1
}
trap 'rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM

HOME=$T/home
XDG_CONFIG_HOME=$T/config
XDG_DATA_HOME=$T/data
SENCO_TODAY=2026-01-15
LC_ALL=C.UTF-8
export HOME XDG_CONFIG_HOME XDG_DATA_HOME SENCO_TODAY LC_ALL
unset SENCO_CONFIG NO_COLOR
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"

# The default caseload, where senco puts it when given no --db.
DB=$XDG_DATA_HOME/senco/caseload.db
OUT=$T/stdout
ERR=$T/stderr
RC=0

_n=0
_failed=0

# Valid UPNs (DOMAIN.md test vectors and upn_make(801, 2000, 5, n)).
UPN1=B801200005001
UPN2=R674123101121
UPN3=Q801200005002
UPN4=E801200005003
TEMPUPN=M80120000500A	# a temporary UPN: a letter in position 13
BADUPN=B801200005002	# right form, wrong check letter (should be Q)

run() {
	"$SENCO" "$@" </dev/null >"$OUT" 2>"$ERR"
	RC=$?
}

_diag() {
	sed 's/^/# /' "$1" >&2
}

pass() {
	_n=$((_n + 1))
	echo "ok $_n - $1"
}

fail() {
	_n=$((_n + 1))
	_failed=$((_failed + 1))
	echo "not ok $_n - $1"
	shift
	for _line in "$@"; do
		echo "# $_line" >&2
	done
}

skip() {
	_n=$((_n + 1))
	echo "ok $_n - $1 # SKIP $2"
}

t_check() {
	_desc=$1
	shift
	if "$@"; then
		pass "$_desc"
	else
		fail "$_desc" "command failed: $*"
	fi
}

t_ok() {
	_desc=$1
	shift
	run "$@"
	if [ "$RC" -eq 0 ] && [ ! -s "$ERR" ]; then
		pass "$_desc"
	else
		fail "$_desc" "senco $* exited $RC"
		_diag "$ERR"
	fi
}

t_fail() {
	_want=$1
	_line=$2
	_desc=$3
	shift 3
	run "$@"
	_lines=$(wc -l <"$ERR")
	_got=$(cat "$ERR")
	if [ "$RC" -ne "$_want" ]; then
		fail "$_desc" "senco $* exited $RC, wanted $_want"
		_diag "$ERR"
		return
	fi
	if [ "$_lines" -ne 1 ]; then
		fail "$_desc" "wanted one line on stderr, got $_lines"
		_diag "$ERR"
		return
	fi
	# shellcheck disable=SC2254
	case $_got in
	$_line)
		pass "$_desc" ;;
	*)
		fail "$_desc" "stderr:   $_got" "expected: $_line" ;;
	esac
}

t_out() {
	if grep -q -- "$2" "$OUT"; then
		pass "$1"
	else
		fail "$1" "no line matching: $2"
		_diag "$OUT"
	fi
}

t_no_out() {
	if grep -q -- "$2" "$OUT"; then
		fail "$1" "unexpected line matching: $2"
		_diag "$OUT"
	else
		pass "$1"
	fi
}

# Everything in the caseload, as text: the SQL dump when the sqlite3 tool
# is there, else every listing senco can give.
_state() {
	if [ ! -f "${1:-$DB}" ]; then
		echo "(no file)"
	elif command -v sqlite3 >/dev/null 2>&1; then
		sqlite3 -readonly "${1:-$DB}" .dump
	else
		"$SENCO" --db "${1:-$DB}" --read-only pupil list --all \
		    --archived --format csv
		"$SENCO" --db "${1:-$DB}" --read-only intervention list --all \
		    --format csv
		for _u in $("$SENCO" --db "${1:-$DB}" --read-only pupil list \
		    --all --archived --format tsv | cut -f1 | tail -n +2); do
			"$SENCO" --db "${1:-$DB}" --read-only pupil show "$_u"
		done
	fi
}

snapshot() {
	_state "$@" >"$T/snapshot" 2>&1
}

t_unchanged() {
	_state "$2" >"$T/now" 2>&1
	if cmp -s "$T/snapshot" "$T/now"; then
		pass "$1"
	else
		fail "$1" "the caseload changed"
		diff "$T/snapshot" "$T/now" | head -20 | sed 's/^/# /' >&2
	fi
}

finish() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
	exit $?
}
