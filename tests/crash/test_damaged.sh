#!/bin/sh
# test_damaged.sh: a damaged or foreign file is refused with a message and
# never "repaired" silently (issue 5). Copies of a real caseload get a page
# of random bytes (the header, the schema, pupil rows, notes, and pages
# picked from the seed) or are cut short; then a reading command either
# refuses in one line or works, `senco check` reports the damage, and the
# file's bytes are never changed. The caseload is small, so db_open() runs
# PRAGMA quick_check on it (src/core/db.c, open_check): damage in a part
# of the file a command does not read (a page of notes, for `pupil list`)
# is refused on open too, with exit 65 and "restore it from a backup".
. "$SENCO_SRCDIR/tests/lib.sh"
. "$SENCO_SRCDIR/tests/crash/lib.sh"

REAL=$T/real.db
t_ok "a demo caseload to damage" --db "$REAL" demo --pupils 60 --seed 7

sum() {
	cksum <"$1"
}

# damaged DESC FILE: the checks on one damaged copy.
damaged() {
	_d=$1 _f=$2
	_sum=$(sum "$_f")
	run --db "$_f" pupil list --all
	_lines=$(wc -l <"$ERR")
	if [ "$RC" -eq 0 ] ||
	    { [ "$_lines" -eq 1 ] && grep -q '^senco: ' "$ERR"; }; then
		pass "$_d: pupil list works or refuses in one line (exit $RC)"
	else
		fail "$_d: pupil list works or refuses in one line" \
		    "exit $RC, $_lines lines on stderr"
		_diag "$ERR"
	fi
	t_check "$_d: pupil list left the file's bytes as they were" \
	    test "$(sum "$_f")" = "$_sum"
	run --db "$_f" check
	if [ "$RC" -ne 0 ] && [ "$(wc -l <"$ERR")" -le 1 ]; then
		pass "$_d: senco check finds it (exit $RC)"
	else
		fail "$_d: senco check finds it" "exit $RC"
		_diag "$OUT"
		_diag "$ERR"
	fi
	t_check "$_d: senco check left the file's bytes as they were" \
	    test "$(sum "$_f")" = "$_sum"
}

# copy NAME: a fresh copy of the caseload, whose path is printed.
copy() {
	rm -f "$T/$1" "$T/$1-wal" "$T/$1-shm"
	cp "$REAL" "$T/$1"
	echo "$T/$1"
}

f=$(copy header.db)
pages=$("$WRITER" garble "$f" 1 "$SEED")
damaged "header page" "$f"
# A garbled header makes it no SQLite file at all.
t_fail 70 "senco: $f: not a senco caseload*" \
    "a garbled header is refused as not a caseload" --db "$f" pupil list

f=$(copy schema.db)
"$WRITER" garble "$f" "$("$WRITER" page-of "$REAL" sqlite_schema)" \
    "$SEED" >/dev/null
damaged "a page of the schema" "$f"

f=$(copy pupil.db)
"$WRITER" garble "$f" "$("$WRITER" page-of "$REAL" pupil)" "$SEED" \
    >/dev/null
damaged "a page of pupils" "$f"
t_fail 65 "senco: $f: the caseload file is damaged (*); senco will not use it: restore it from a backup" \
    "a damaged page of pupils is refused on open" --db "$f" \
    pupil list --all

for k in 1 2 3 4; do
	f=$(copy random$k.db)
	pg=$(rand_ms "$k" 2 "$pages")
	"$WRITER" garble "$f" "$pg" $((SEED + k)) >/dev/null
	damaged "page $pg of $pages" "$f"
done

f=$(copy half.db)
truncate -s $(($(wc -c <"$REAL") / 2)) "$f"
damaged "cut to half its length" "$f"
t_fail 65 "senco: $f: the caseload file is damaged; senco will not use it: restore it from a backup" \
    "a file cut short is refused on open" --db "$f" pupil list --all

f=$(copy short.db)
truncate -s 1000 "$f"
damaged "cut inside its first page" "$f"

f=$T/letter.db
printf 'Dear parents,\nthe SEN review is on Monday.\n' >"$f"
s=$(sum "$f")
t_fail 70 "senco: $f: not a senco caseload*" "a text file is refused" \
    --db "$f" pupil list --all
t_check "the text file is untouched" test "$(sum "$f")" = "$s"

# --- the check on open: damage where the command does not read ---------
f=$(copy note.db)
"$WRITER" garble "$f" "$("$WRITER" page-of "$REAL" note)" "$SEED" \
    >/dev/null
damaged "a page of notes" "$f"
s=$(sum "$f")
t_fail 65 "senco: $f: the caseload file is damaged (*); senco will not use it: restore it from a backup" \
    "a damaged page of notes is refused when the caseload is opened" \
    --db "$f" pupil list --all
t_fail 65 "senco: $f: the caseload file is damaged (*)*" \
    "and read-only too" --db "$f" --read-only pupil list --all
t_check "the notes page stays as it was" test "$(sum "$f")" = "$s"

finish
