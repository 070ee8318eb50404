# tests/crash/lib.sh: shared by the crash tests (POSIX sh), sourced after
# tests/lib.sh (which makes the private temp dir $T and prints TAP).
#
#   WRITER, SENCOFW      the helper programs built beside senco
#   SEED                 $SENCO_CRASH_SEED, or a fresh random one; printed,
#                        so a failing run can be replayed
#   rand_ms I MIN MAX    a delay in ms for step I, from SEED: the same
#                        seed gives the same delays
#   ms_sleep MS          sleep MS milliseconds
#   state DB             the "writer state" line of DB

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

SEED=${SENCO_CRASH_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# seed $SEED (replay with SENCO_CRASH_SEED=$SEED)"

rand_ms() {
	awk -v s="$SEED" -v i="$1" -v lo="$2" -v hi="$3" 'BEGIN {
		srand(s + i * 7919); print int(lo + rand() * (hi - lo + 1)) }'
}

ms_sleep() {
	sleep "$(awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }')"
}

state() {
	"$WRITER" state "$1" 2>&1
}
