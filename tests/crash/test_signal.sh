#!/bin/sh
# test_signal.sh: SIGHUP (an SSH session that drops) and SIGTERM (a
# shutdown) in the middle of writes (issue 5). First the crash writer is
# signalled as test_kill.sh kills it; then a loop of real `senco`
# commands runs in its own session, as a user's shell would over SSH, and
# the signal goes to its whole process group, as the kernel sends SIGHUP
# when the terminal goes. After each, every change acknowledged (the
# writer's line, or senco's exit 0) must be there and none in part.
#
#   SENCO_CRASH_N     writers, and loops, to signal with each of SIGTERM
#                     and SIGHUP (default 6; 3 quick)
#   SENCO_CRASH_SEED  replay a run
. "$SENCO_SRCDIR/tests/lib.sh"
. "$SENCO_SRCDIR/tests/crash/lib.sh"

N=6
[ "$QUICK" = 1 ] && N=3
N=${SENCO_CRASH_N:-$N}
mkdir -p "$T/w" "$T/c"

# check DESC DB ACKS MODE: reopen and verify (MODE verify or verify-cli),
# then `senco check`.
check() {
	"$WRITER" "$4" "$2" "$3" >"$T/verify" 2>&1
	_vst=$?
	_s=$(tail -n 1 "$T/verify")
	_l=$(echo "$_s" | sed -n 's/.* lost \([0-9]*\).*/\1/p')
	_p=$(echo "$_s" | sed -n 's/.* partial \([0-9]*\).*/\1/p')
	lost=$((lost + ${_l:-1}))
	partial=$((partial + ${_p:-1}))
	run --db "$2" check
	if [ "$_vst" -eq 0 ] && [ "$RC" -eq 0 ]; then
		pass "$1"
	else
		fail "$1" "verify exited $_vst, senco check $RC"
		_diag "$T/verify"
		_diag "$OUT"
		_diag "$ERR"
	fi
}

# --- the writer, signalled -----------------------------------------------
DB=$T/w/caseload.db
ACKS=$T/w/acks
: >"$ACKS"
lost=0 partial=0 n=0 i=1
"$WRITER" run "$DB" "$SEED" 5 >>"$ACKS" ||
    echo "Bail out! the writer cannot make a caseload"
# The signals land later where starting takes longer (a sanitizer build).
t0=$(now_ms)
"$WRITER" run "$DB" 0 0
OPEN_MS=$(($(now_ms) - t0))
while [ "$i" -le $((2 * N)) ]; do
	sig=TERM want=143
	[ $((i % 2)) -eq 0 ] && sig=HUP want=129
	ms=$(rand_ms "$i" 5 $((OPEN_MS + 150)))
	"$WRITER" run "$DB" $((SEED + i)) >>"$ACKS" 2>"$T/writer.err" &
	pid=$!
	ms_sleep "$ms"
	kill -"$sig" "$pid" 2>/dev/null
	wait "$pid"
	st=$?
	if [ "$st" -ne "$want" ]; then
		fail "writer $i: SIG$sig after $ms ms" \
		    "the writer ended with status $st, not by the signal"
		_diag "$T/writer.err"
	else
		n=$((n + 1))
		check "writer $i: SIG$sig after $ms ms" "$DB" "$ACKS" verify
	fi
	i=$((i + 1))
done
echo "# $n signalled writers (SIGTERM, SIGHUP), $lost lost, $partial" \
    "partial ($(wc -l <"$ACKS") acknowledged actions)"

# --- senco commands in a session that hangs up ----------------------------
if ! command -v setsid >/dev/null 2>&1; then
	skip "senco commands signalled as a process group" "no setsid here"
	finish
fi
DB=$T/c/caseload.db
ACKS=$T/c/acks
: >"$ACKS"
t0=$(now_ms)
run --db "$DB" init
[ "$RC" -eq 0 ] || echo "Bail out! senco init failed"
CMD_MS=$(($(now_ms) - t0))

# The user's work: add a pupil on SEN support with two needs, start a
# cycle, add a target, rate it, and close the cycle carrying the target
# over. A line after each command that succeeded.
cat >"$T/c/loop.sh" <<'EOF'
S=$1 DB=$2
shift 2
for u in "$@"; do
	"$S" --db "$DB" pupil add --upn "$u" --surname Nowak \
	    --forename Łukasz --dob 2016-04-03 --year 4 --status K \
	    --since 2025-09-01 --need SLCN --need ASD >/dev/null || exit 3
	echo "cli pupil $u"
	"$S" --db "$DB" cycle start "$u" >/dev/null || exit 3
	echo "cli cycle $u"
	"$S" --db "$DB" target add "$u" --text "Reads ten tricky words" \
	    --area CL >/dev/null || exit 3
	echo "cli target $u"
	"$S" --db "$DB" target rate "$u" 1 2 --comment "Zoë's group" \
	    >/dev/null || exit 3
	echo "cli rate $u"
	"$S" --db "$DB" cycle close "$u" --decision continue --carry \
	    >/dev/null || exit 3
	echo "cli close $u"
done
exit 4
EOF

lost=0 partial=0 n=0 i=1
while [ "$i" -le $((2 * N)) ]; do
	sig=HUP want=129
	[ $((i % 2)) -eq 0 ] && sig=TERM want=143
	ms=$(rand_ms "$i" 20 $((4 * CMD_MS + 300)))
	# setsid, run in the background of a shell without job control,
	# execs in place: $! is the new session and process group.
	# shellcheck disable=SC2046
	setsid sh "$T/c/loop.sh" "$SENCO" "$DB" \
	    $("$WRITER" upns $((i * 100)) 20) >>"$ACKS" 2>"$T/loop.err" &
	pid=$!
	# The group is there once setsid has run: then start the clock.
	w=0
	while ! kill -0 "-$pid" 2>/dev/null && [ "$w" -lt 200 ]; do
		ms_sleep 5
		w=$((w + 1))
	done
	ms_sleep "$ms"
	# (no "--": dash's kill takes a negative pid as it is)
	if ! kill -"$sig" "-$pid"; then
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid"
	st=$?
	if [ "$st" -ne "$want" ]; then
		fail "senco loop $i: SIG$sig to the group after $ms ms" \
		    "the loop ended with status $st, not by the signal"
		_diag "$T/loop.err"
	else
		n=$((n + 1))
		check "senco loop $i: SIG$sig to the group after $ms ms" \
		    "$DB" "$ACKS" verify-cli
	fi
	i=$((i + 1))
done
echo "# $n senco command loops hung up or terminated, $lost lost," \
    "$partial partial ($(wc -l <"$ACKS") acknowledged commands)"
finish
