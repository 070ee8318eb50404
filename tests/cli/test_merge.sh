#!/bin/sh
# test_merge.sh: senco checkout and senco merge on real files: the laptop
# copy is private and never overwrites; a subset holds only its pupils;
# a merge lists its conflicts and, without a terminal or --keep, writes
# nothing (exit 65); --dry-run writes nothing; --keep decides; merging
# twice changes nothing; wrong copies are refused; and on a terminal the
# user chooses conflict by conflict.
. "$SENCO_SRCDIR/tests/lib.sh"

LAP=$T/laptop.db

# lap ARGS...: senco on the laptop copy.
lap_ok() {
	_desc=$1
	shift
	t_ok "$_desc" --db "$LAP" "$@"
}

# --- help and usage -------------------------------------------------------------
t_ok "--help" --help
t_out "--help lists checkout" "^  checkout  "
t_out "--help lists merge" "^  merge  "
t_ok "help checkout" help checkout
t_out "help checkout shows the synopsis" \
    "^Usage: senco checkout --to FILE \[--pupils UPN...\] \[--year Y\]$"
t_ok "help merge" help merge
t_out "help merge shows the synopsis" \
    "^Usage: senco merge FILE \[--keep server|laptop\] \[--dry-run\]$"
t_check "help merge fits 80 columns" \
    sh -c "! awk 'length > 80' '$OUT' | grep -q ."
t_fail 64 "senco: checkout: missing --to FILE (where to put the laptop copy) (see 'senco help checkout')" \
    "checkout needs --to" checkout
t_fail 64 "senco: checkout: unexpected argument 'extra' (see 'senco help checkout')" \
    "checkout takes no loose words without --pupils" checkout --to "$LAP" extra
t_fail 64 "senco: merge: missing FILE (the laptop copy) (see 'senco help merge')" \
    "merge needs a file" merge
t_fail 64 "senco: merge: --keep 'both': keep either 'server' or 'laptop' (see 'senco help merge')" \
    "--keep takes server or laptop" merge "$LAP" --keep both

# --- the caseload ------------------------------------------------------------------
t_ok "init" init
t_ok "add Zoë" pupil add --upn "$UPN1" --surname Brown --forename Zoë \
    --dob 03/04/2016 --year 4 --status K --need SLCN
t_ok "add Łukasz" pupil add --upn "$UPN3" --surname Nowak \
    --forename Łukasz --dob 11/09/2015 --year 5 --status K --need SPLD
t_ok "add Siobhán" pupil add --upn "$UPN4" --surname "Ó Súilleabháin" \
    --forename Siobhán --dob 21/12/2016 --year 4 --status E --need ASD

# --- checkout -----------------------------------------------------------------------
t_fail 77 "senco: checkout: the caseload is open read-only (--read-only); nothing was changed" \
    "checkout refuses --read-only" --read-only checkout --to "$LAP"
t_ok "checkout the whole caseload" checkout --to "$LAP"
t_out "checkout says what it did" \
    "^Checked out 3 pupils of $DB to $LAP (checkout [0-9a-f]*)\.$"
t_check "the copy is private (0600)" \
    sh -c "ls -l '$LAP' | grep -q '^-rw-------'"
t_check "the copy is one file" test ! -e "$LAP-wal"
t_fail 73 "senco: $LAP: a file is already there; senco will not overwrite it" \
    "checkout never overwrites" checkout --to "$LAP"
lap_ok "the copy is a caseload" pupil list --format csv
t_out "... with the pupils" "^$UPN3,Nowak,Łukasz,"
lap_ok "the copy passes check" check

t_ok "checkout --pupils A B" checkout --to "$T/two.db" --pupils "$UPN1" \
    "$(echo "$UPN4" | tr 'A-Z' 'a-z')"
t_out "... two pupils" "^Checked out 2 pupils of "
t_ok "checkout --year 5" checkout --to "$T/y5.db" --year Y5
t_out "... one pupil" "^Checked out 1 pupil of "
t_ok "the year 5 copy" --db "$T/y5.db" pupil list --all --format tsv
t_no_out "... has no one from year 4" "$UPN1"
t_fail 65 "senco: UPN 'B801200005002' has the wrong check letter: it should be Q (census error 1510)" \
    "checkout refuses a mistyped UPN" checkout --to "$T/no.db" --pupils "$BADUPN"
t_fail 66 "senco: UPN $UPN2: no such pupil in $DB" \
    "checkout refuses an unknown pupil" checkout --to "$T/no.db" --pupils "$UPN2"
t_fail 66 "senco: year 2: no pupils on roll in $DB" \
    "checkout refuses an empty subset" checkout --to "$T/no.db" --year 2
t_fail 65 "senco: year group '19' is not N1, N2, R, 1 to 14 or X" \
    "checkout refuses a bad year group" checkout --to "$T/no.db" --year 19
t_check "the refused checkouts left no file" test ! -e "$T/no.db"

# --- work on both sides ----------------------------------------------------------------
lap_ok "laptop: a class" pupil edit "$UPN1" --class 4L
lap_ok "laptop: a note" note add "$UPN3" --text "Met Mum: SALT referral agreed"
lap_ok "laptop: another sitting" pupil edit "$UPN4" --class 4O
t_ok "server: the same class" pupil edit "$UPN1" --class 4S
t_ok "server: another pupil" pupil edit "$UPN3" --class 5S
cp "$LAP" "$T/before-merge.db"

snapshot
t_ok "merge --dry-run" merge "$LAP" --dry-run
t_out "--dry-run names the copy" "^Laptop copy $LAP: checked out from "
t_out "--dry-run counts the changes" "^  note  *1 added$"
t_out "--dry-run gives the figures" \
    "^Would merge 3 changes from the laptop: 2 apply as they are, 0 merged with changes on the server, 0 already on the server, 1 in conflict (1 conflict); [0-9]* audit entries to add\.$"
t_out "--dry-run lists the conflict" \
    "^Conflict 1 of 1: pupil record of Brown, Zoë ($UPN1): the class was changed on both sides$"
t_out "... with the server's value and who" "^  server: “4S”  (.*, 20..-..-.. ..:..)$"
t_out "... and the laptop's" "^  laptop: “4L”  (.*, 20..-..-.. ..:..)$"
t_out "... and what each choice does" "^  keep laptop: the class becomes “4L”$"
t_out "--dry-run says it wrote nothing" "^Dry run: nothing was written\.$"
t_unchanged "--dry-run wrote nothing"
t_ok "merge --dry-run under --read-only" --read-only merge "$LAP" --dry-run

t_fail 65 "senco: merge: 1 conflict needs a choice: run it on a terminal, or choose with --keep server or --keep laptop; nothing was merged" \
    "without a terminal or --keep nothing is merged" merge "$LAP"
t_out "... the conflicts are listed" "^Conflict 1 of 1: "
t_unchanged "... and nothing was written"
t_fail 77 "senco: merge: the caseload is open read-only (--read-only); nothing was changed" \
    "merge refuses --read-only" --read-only merge "$LAP" --keep server
t_unchanged "... writing nothing"

t_ok "merge --keep laptop" merge "$LAP" --keep laptop
t_out "merge gives the figures" \
    "^Merged 3 changes from the laptop: 2 applied as they were, 0 merged with changes on the server, 0 already on the server, 1 in conflict (1 conflict: 0 kept the server's, 1 the laptop's); [0-9]* audit entries added\.$"
t_out "merge says what it wrote" "^Wrote 3 records to the caseload\.$"
t_out "merge says the copy goes on" "^The laptop copy now starts from this merge"
t_ok "pupil show after the merge" pupil show "$UPN1"
t_out "the laptop's class won" "^Class: *4L$"
t_ok "pupil show Łukasz" pupil show "$UPN3"
t_out "the server's own change stayed" "^Class: *5S$"
t_ok "audit of Łukasz" audit "$UPN3"
t_out "the laptop's note arrived with its audit entry" "insert note .*SALT referral"
t_ok "check after the merge" check

snapshot
t_ok "merge the same copy again" merge "$LAP"
t_out "... finds nothing to merge" "^Nothing changed on the laptop since the copy was taken or last merged: nothing to merge\.$"
t_unchanged "... and changes nothing"
t_ok "merge a copy of it taken before the merge" merge "$T/before-merge.db"
t_out "... knows it was merged" "^These changes were merged on .* by .*: nothing to do\.$"
t_unchanged "... and changes nothing"

lap_ok "laptop: more work after the merge" note add "$UPN4" --text "Later note"
t_ok "merge the later work" merge "$LAP"
t_out "... only the new change" "^Merged 1 change from the laptop: 1 applied as they were"
t_ok "check" check

# --- refusals -------------------------------------------------------------------------------
if command -v sqlite3 >/dev/null 2>&1; then
	t_ok "a copy to upgrade" checkout --to "$T/old.db"
	sqlite3 "$T/old.db" "PRAGMA user_version = 99" >/dev/null
fi
snapshot
t_fail 66 "senco: $T/missing.db: No such file or directory" \
    "merge of a missing file" merge "$T/missing.db"
t_fail 65 "senco: $DB: that is the caseload itself, not a laptop copy of it" \
    "merge of the caseload itself" merge "$DB"
t_ok "another caseload" --db "$T/other.db" init
t_fail 65 "senco: $T/other.db: a caseload, but not a laptop copy (make one with 'senco checkout')" \
    "merge of a caseload that is no copy" merge "$T/other.db"
t_ok "a copy of the other caseload" --db "$T/other.db" checkout \
    --to "$T/other-lap.db"
t_fail 65 "senco: $T/other-lap.db: not a copy of this caseload ($DB)*" \
    "merge of a copy of another caseload" merge "$T/other-lap.db"
printf 'UPN,Surname\n' >"$T/text.db"
t_fail 65 "senco: $T/text.db: not a senco laptop copy (not a SQLite database)" \
    "merge of a file that is no database" merge "$T/text.db"
if command -v sqlite3 >/dev/null 2>&1; then
	t_fail 65 "senco: $T/old.db: the laptop copy is at schema version 99*" \
	    "merge of a copy of another schema version" merge "$T/old.db"
else
	skip "a copy to upgrade" "no sqlite3"
	skip "merge of a copy of another schema version" "no sqlite3"
fi
t_unchanged "the refused merges wrote nothing"

# --- on a terminal: choosing conflict by conflict -------------------------------------------
lap_ok "laptop: Zoë's class again" pupil edit "$UPN1" --class 4LL
lap_ok "laptop: Siobhán's class" pupil edit "$UPN4" --class 4LL
t_ok "server: Zoë's class again" pupil edit "$UPN1" --class 4SS
t_ok "server: Siobhán's class" pupil edit "$UPN4" --class 4SS

if [ -n "${TMUX_BIN:-}" ] && command -v "$TMUX_BIN" >/dev/null 2>&1; then
	# A server per terminal: one shutting down is never raced.
	N_SOCK=0
	SOCK="senco-merge-$$-0"
	tmx() { "$TMUX_BIN" -L "$SOCK" "$@"; }
	screen() { tmx capture-pane -p -S -100 2>/dev/null; }
	wait_for() {
		_i=0
		while [ $_i -lt 100 ]; do
			screen | grep -q -- "$1" && return 0
			sleep 0.1
			_i=$((_i + 1))
		done
		return 1
	}
	on_screen() {
		screen | grep -q -- "$1"
	}
	typed() {
		tmx send-keys -l "$1"
		tmx send-keys Enter
	}
	trap 'tmx kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT
	# tty ARGS...: senco ARGS in a fresh terminal; exit=N after it.
	tty() {
		tmx kill-server >/dev/null 2>&1
		N_SOCK=$((N_SOCK + 1))
		SOCK="senco-merge-$$-$N_SOCK"
		{
			printf 'export HOME="%s" XDG_CONFIG_HOME="%s" ' "$HOME" \
			    "$XDG_CONFIG_HOME"
			printf 'XDG_DATA_HOME="%s" SENCO_TODAY="%s" LC_ALL="%s"\n' \
			    "$XDG_DATA_HOME" "$SENCO_TODAY" "$LC_ALL"
			printf '"%s"' "$SENCO"
			for _a in "$@"; do printf ' "%s"' "$_a"; done
			echo
			echo 'echo "exit=$?"'
			echo 'sleep 60'
		} >"$T/tty.sh"
		tmx new-session -d -x 100 -y 40 "sh '$T/tty.sh'"
	}

	snapshot
	tty merge "$LAP"
	wait_for "Keep which?"
	t_check "a terminal is asked" on_screen "^Conflict 1 of 2: "
	typed "q"
	wait_for "exit="
	t_check "q stops the merge" on_screen "exit=65"
	t_check "... saying nothing was merged" \
	    on_screen "stopped before every conflict had a choice; nothing was merged"
	t_unchanged "... and nothing was"

	tty merge "$LAP"
	wait_for "Keep which?"
	typed "maybe"
	typed "s"
	wait_for "Conflict 2 of 2"
	t_check "an answer moves on to the next conflict" on_screen "Conflict 2 of 2"
	typed "l"
	wait_for "exit="
	t_check "the merge with the choices made worked" on_screen "exit=0"
	t_check "... counting one for each side" \
	    on_screen "2 conflicts: 1 kept the server's, 1 the laptop's"
	tmx kill-server >/dev/null 2>&1
	t_ok "pupil show Zoë" pupil show "$UPN1"
	t_out "the first choice kept the server" "^Class: *4SS$"
	t_ok "pupil show Siobhán" pupil show "$UPN4"
	t_out "the second kept the laptop" "^Class: *4LL$"
else
	for _t in 1 2 3 4 5 6 7 8 9 10 11 12; do
		skip "terminal test $_t" "no tmux"
	done
fi
t_ok "check at the end" check

finish
