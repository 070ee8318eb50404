# tests/crash/lib.sh: shared by the crash tests (POSIX sh), sourced after
# tests/lib.sh (which makes the private temp dir $T and prints TAP).
#
#   WRITER, SENCOFW      the helper programs built beside senco
#   SEED                 $SENCO_CRASH_SEED, or a fresh random one; printed,
#                        so a failing run can be replayed
#   rand_ms I MIN MAX    a delay in ms for step I, from SEED: the same
#                        seed gives the same delays
#   ms_sleep MS          sleep MS milliseconds
#   now_ms               the time in milliseconds
#   state DB             the "writer state" line of DB
#   QUICK                1 when SENCO_CRASH_QUICK=1 (run-sanitizers.sh sets
#                        it): fewer rounds, since under the sanitizers
#                        every run is several times slower and the point
#                        there is memory errors on these paths

_build=$(dirname "$SENCO")
WRITER=$_build/tests/crash/writer
SENCOFW=$_build/tests/crash/sencofw
for _p in "$WRITER" "$SENCOFW"; do
	if [ ! -x "$_p" ]; then
		echo "Bail out! $_p is not built (make check builds it)"
		exit 1
	fi
done

# senco refuses a caseload other users could read: keep every file private.
umask 077

# The failing-write loops need no real disk (the VFS makes the failures):
# on a tmpfs they are spared hundreds of fsyncs.
FAST=$T/fast
if [ -d /dev/shm ] && [ -w /dev/shm ] &&
    _f=$(mktemp -d /dev/shm/senco-crash.XXXXXX 2>/dev/null); then
	FAST=$_f
	trap 'rm -rf "$T" "$FAST"' EXIT
fi

SEED=${SENCO_CRASH_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# seed $SEED (replay with SENCO_CRASH_SEED=$SEED)"

rand_ms() {
	awk -v s="$SEED" -v i="$1" -v lo="$2" -v hi="$3" 'BEGIN {
		# mawk clamps seeds past 2^31
		srand((s % 2000000000) + i * 7919)
		print int(lo + rand() * (hi - lo + 1)) }'
}

ms_sleep() {
	sleep "$(awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }')"
}

now_ms() {
	date +%s%3N
}

state() {
	"$WRITER" state "$1" 2>&1
}

QUICK=${SENCO_CRASH_QUICK:-0}
[ "$QUICK" = 1 ] && echo "# quick: fewer rounds (SENCO_CRASH_QUICK=1)"

# failloop DESC BASE ARGS...
#   Run `senco ARGS` (the build linked with the failing VFS) on a fresh copy
#   of the caseload BASE ("-" for no file) again and again, failing
#   counted write N = 1, 2, ... until a run completes without reaching N;
#   once for each way: an I/O error once, an I/O error that lasts, a disk
#   that stays full (see tests/crash/failloop.c for the checks); MODES
#   (e.g. "once,full") names fewer and STEP=K fails only every Kth write,
#   to keep make check quick, unless SENCO_CRASH_FULL=1. With RETRY=K,
#   senco must then succeed, without failures, on a file left as it was
#   (checked at the first such point and every Kth after; 1: every one).
#   One TAP line per way; adds to FAILED (failure points), PARTIAL and
#   SAVED_ANYWAY (a write failed after the commit, and senco said so).
FAILED=0 SAVED_ANYWAY=0 PARTIAL=0
failloop() {
	_desc=$1 _base=$2 _modes=${MODES:-} _step=${STEP:-1}
	# SENCO_CRASH_FULL=1: every way of failing, every write, everywhere.
	_retry=${RETRY:-0}
	[ "$QUICK" = 1 ] && _step=$((_step * 5))
	if [ "${SENCO_CRASH_FULL:-0}" = 1 ]; then
		_modes='' _step=1
		[ "$_retry" -gt 0 ] && _retry=1
	fi
	shift 2
	mkdir -p "$FAST/fail"
	SENCO_FAILLOOP_BASE=$_base SENCO_FAILLOOP_RETRY=$_retry \
	SENCO_FAILLOOP_MODES=$_modes SENCO_FAILLOOP_STEP=$_step \
	    "$SENCOFW" --db "$FAST/fail/caseload.db" "$@" >"$T/failloop" 2>&1
	_st=$?
	_ok="none partial or unclear"
	while read -r _w _rest; do
		case $_w in
		mode)	_name=${_rest%%:*}
			# shellcheck disable=SC2086 # the numbers, split
			set -- ${_rest#*:}
			FAILED=$((FAILED + $2))
			SAVED_ANYWAY=$((SAVED_ANYWAY + $6))
			PARTIAL=$((PARTIAL + $8))
			if [ "$4" -eq 0 ]; then
				pass "$_desc [$_name]: $2 failed writes, $_ok"
			else
				fail "$_desc [$_name]: $4 problems in $2 failed writes"
			fi ;;
		esac
	done <"$T/failloop"
	grep '^#' "$T/failloop" >&2
	if [ "$_st" -ne 0 ] && ! grep -q '^mode ' "$T/failloop"; then
		fail "$_desc: the failing-write loop ran" "exit $_st"
		_diag "$T/failloop"
	fi
}

# todo DESC REASON COMMAND...: a test of something not done yet, marked
# TODO: it passes when COMMAND fails, and shows (as an unexpected pass,
# which make check counts as a failure) once it works.
todo() {
	_desc=$1 _reason=$2
	shift 2
	_n=$((_n + 1))
	if "$@"; then
		echo "ok $_n - $_desc # TODO $_reason"
	else
		echo "not ok $_n - $_desc # TODO $_reason"
	fi
}
