#!/bin/sh
# tests/run-sanitizers.sh: the test suite once more under AddressSanitizer
# and UBSan, and the Criterion (core) tests under valgrind (issue 5).
#
#   tests/run-sanitizers.sh [SRCDIR [BUILDDIR [SANDIR]]]
#
#   SRCDIR    the source tree (default: the one this script is in)
#   BUILDDIR  a configured normal build (default: SRCDIR/build, as
#             ./quickstart makes); its Criterion tests run under valgrind
#   SANDIR    where the sanitizer build goes (default: SRCDIR/build-san);
#             configured with --enable-sanitizers if it has no Makefile
#
#   SANITIZERS_STAGES  "asan valgrind" (default), or one of them
#   VALGRIND_TESTS     the Criterion programs to run under valgrind, by
#                      name (default: those of the store, below), or "all"
#   JOBS               parallel jobs (default: the number of CPUs)
#
# Prints one summary line per stage and exits non-zero if any stage found
# anything: a failed test, a sanitizer report, a valgrind error or a
# definitely lost block. The logs stay in SANDIR (test-suite.log) and in
# BUILDDIR/valgrind-logs/.
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
src=$(cd "${1:-$here}" && pwd) || exit 2
build=${2:-$src/build}
san=${3:-$src/build-san}
stages=${SANITIZERS_STAGES:-asan valgrind}
# The core of the caseload store: opening, migrations, transactions, the
# audit trail, pupils (the record every other hangs on) and the parsers of
# codes and dates. Under valgrind every test costs seconds (each is a
# process that migrates a new caseload): on 2 CPUs this set takes about
# 2 minutes (103 s idle, 4 under load), which keeps ./quickstart test in
# CI's 20; the other record modules (cycle, target, record, register) add
# 3 to 7 more, and the whole set (VALGRIND_TESTS=all) is for a longer run.
core_tests="test_db test_audit test_pupil test_codes test_date"
valgrind_tests=${VALGRIND_TESTS:-$core_tests}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
status=0

now() {
	date +%s
}

# --- AddressSanitizer + UBSan: the whole suite ------------------------------
stage_asan() {
	t0=$(now)
	mkdir -p "$san" || return 1
	cd "$san" || return 1
	if [ ! -f Makefile ]; then
		"$src/configure" -q --enable-sanitizers >configure.log 2>&1 || {
			echo "asan+ubsan: configure failed" \
			    "(see $san/configure.log)"
			return 1
		}
	fi
	if ! make -j"$jobs" >make.log 2>&1; then
		tail -n 30 make.log
		echo "asan+ubsan: the build failed (see $san/make.log)"
		return 1
	fi
	# Leaks are errors; the first report of either sanitizer stops the
	# program, so a test cannot pass over it. Only third-party leaks are
	# suppressed: Criterion 2.4 leaks its copy of the arguments in every
	# test program, and libconfig 1.5 its scanner's strings after a
	# syntax error (see fuzz/lsan.supp).
	printf '%s\n' "leak:criterion_handle_args" "leak:strbuf_append" \
	    "leak:libconfig_yylex" >lsan.supp
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:disable_coredump=1
	LSAN_OPTIONS=suppressions=$san/lsan.supp:print_suppressions=0
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	export ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
	# The crash tests run fewer rounds: here they are after memory
	# errors on their paths, which the normal run has covered in full.
	SENCO_CRASH_QUICK=1
	export SENCO_CRASH_QUICK
	make -j"$jobs" check >check.log 2>&1
	rc=$?
	summary=$(make -s check-summary 2>/dev/null | tail -n 1)
	reports='ERROR: (Address|Leak)Sanitizer|runtime error:|^not ok'
	if [ "$rc" -ne 0 ]; then
		# shellcheck disable=SC2046 # file names without spaces
		for log in $(grep -l -E '^:test-result: (FAIL|ERROR|XPASS)' \
		    $(find tests -name '*.trs') 2>/dev/null); do
			echo "==== $san/${log%.trs}.log"
			grep -E -B2 -A25 "$reports" "${log%.trs}.log" |
			    head -n 80
		done
	fi
	echo "asan+ubsan: ${summary:-no summary} ($(($(now) - t0)) s)"
	return "$rc"
}

# --- valgrind: every Criterion test binary of the normal build --------------
stage_valgrind() {
	t0=$(now)
	if ! command -v valgrind >/dev/null 2>&1; then
		echo "valgrind: not installed (apt-get install valgrind)"
		return 1
	fi
	cd "$build" 2>/dev/null || {
		echo "valgrind: no build in $build"
		return 1
	}
	# Build the test programs without running them.
	if ! make -j"$jobs" check TESTS= >valgrind-make.log 2>&1; then
		echo "valgrind: the tests do not build" \
		    "(see $build/valgrind-make.log)"
		return 1
	fi
	logs=$build/valgrind-logs
	rm -rf "$logs"
	mkdir -p "$logs"
	n=0 bad=0
	if [ "$valgrind_tests" = all ]; then
		valgrind_tests=$(cd tests && ls test_* 2>/dev/null)
	fi
	for name in $valgrind_tests; do
		t=tests/$name
		case $t in *.o|*.log|*.trs|*.c) continue ;; esac
		if [ ! -f "$t" ] || [ ! -x "$t" ]; then
			[ "$valgrind_tests" = "$core_tests" ] || continue
			echo "valgrind: $t is missing"
			bad=$((bad + 1))
			continue
		fi
		# Only Criterion programs: they list their tests.
		"$t" --list >/dev/null 2>&1 || continue
		n=$((n + 1))
		t1=$(now)
		mkdir -p "$logs/$name"
		# Criterion runs each test in a child it execs: follow those,
		# not the system's programs the tests run (rm -rf of their
		# temp dirs). Each process gets its own log; with -q a log
		# holds only errors and definite leaks.
		valgrind -q --trace-children=yes \
		    --trace-children-skip='/bin/*,/usr/bin/*,/sbin/*,/usr/sbin/*' \
		    --error-exitcode=1 \
		    --leak-check=full --errors-for-leak-kinds=definite \
		    --show-leak-kinds=definite \
		    --log-file="$logs/$name/%p.log" \
		    "$t" --jobs="$jobs" >"$logs/$name.out" 2>&1
		rc=$?
		errs=$(find "$logs/$name" -name '*.log' -size +0 | wc -l)
		echo "valgrind: $name: exit $rc, $errs processes with" \
		    "errors ($(($(now) - t1)) s)" >>"$logs/times"
		if [ "$rc" -ne 0 ] || [ "$errs" -ne 0 ]; then
			bad=$((bad + 1))
			echo "valgrind: $name: exit $rc," \
			    "$errs processes with errors"
			tail -n 3 "$logs/$name.out"
			for f in $(find "$logs/$name" -name '*.log' -size +0 |
			    head -n 3); do
				head -n 40 "$f"
			done
		fi
	done
	echo "valgrind: $n test programs, $bad with errors" \
	    "($(($(now) - t0)) s; logs in $logs)"
	[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}

for s in $stages; do
	case $s in
	asan)		( stage_asan ) || status=1 ;;
	valgrind)	( stage_valgrind ) || status=1 ;;
	*)		echo "run-sanitizers: no stage '$s'" >&2; status=2 ;;
	esac
done
exit "$status"
