#!/bin/sh
# test_safety.sh: senco backup --encrypt, senco restore and senco purge
# against real files: a round trip gives the same caseload; a wrong
# passphrase and a tampered, truncated or extended backup are refused with
# nothing written; files are 0600 under umask 000; the passphrase comes on
# a pipe (never argv or the environment) or from a terminal without echo;
# purge removes every byte of a pupil from the file and its -wal.
. "$SENCO_SRCDIR/tests/lib.sh"

PW="Siobhán's pipe passphrase 李"
ENC=$T/backup.enc

# run_pw PASSPHRASE ARGS...: senco with the passphrase on a pipe as fd 3.
run_pw() {
	_pw=$1
	shift
	printf '%s\n' "$_pw" | {
		"$SENCO" "$@" --passphrase-fd 3 3<&0 </dev/null >"$OUT" 2>"$ERR"
		echo $? >"$T/rc"
	}
	RC=$(cat "$T/rc")
}

# pw_ok DESC PASSPHRASE ARGS... / pw_fail STATUS LINE DESC PASSPHRASE ARGS...
pw_ok() {
	_desc=$1
	shift
	run_pw "$@"
	if [ "$RC" -eq 0 ] && [ ! -s "$ERR" ]; then
		pass "$_desc"
	else
		fail "$_desc" "exited $RC"
		_diag "$ERR"
	fi
}

pw_fail() {
	_want=$1
	_line=$2
	_desc=$3
	shift 3
	run_pw "$@"
	_got=$(cat "$ERR")
	# shellcheck disable=SC2254
	case $RC:$(wc -l <"$ERR"):$_got in
	$_want:1:$_line)
		pass "$_desc" ;;
	*)
		fail "$_desc" "exited $RC, stderr: $_got" "expected $_want: $_line"
		;;
	esac
}

mode() {
	ls -ld "$1" | cut -c1-10
}

# flip FILE OFFSET: change one byte in place.
flip() {
	_b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059
	printf "$(printf '\\%03o' $((_b ^ 1)))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# --- help ----------------------------------------------------------------
t_ok "--help" --help
t_out "--help lists restore" "^  restore "
t_out "--help lists purge" "^  purge "
t_ok "help backup" help backup
t_out "backup takes --encrypt" "--encrypt"
t_out "backup takes --passphrase-fd" "--passphrase-fd N"
t_ok "help restore" help restore
t_out "restore takes --to" "--to NEW.db"
t_ok "help purge" help purge
t_out "purge takes --left-before" "--left-before DATE"

MAN=$SENCO_SRCDIR/man/senco.1
for cmd in backup restore purge; do
	run help "$cmd"
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$OUT" | sort -u); do
		man_opt=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
		t_check "senco.1 documents $cmd $opt" grep -q -- "$man_opt" "$MAN"
	done
done
t_check "senco.1 has a section for restore" grep -q '^\.SS "senco restore"' "$MAN"
t_check "senco.1 has a section for purge" grep -q '^\.SS "senco purge"' "$MAN"
t_check "senco.conf.5 documents retention_years" \
    grep -q '^\.BR retention_years ' "$SENCO_SRCDIR/man/senco.conf.5"
t_check "the example configuration sets retention_years" \
    grep -q '^retention_years = 25;' "$SENCO_SRCDIR/share/senco.conf"

# --- a caseload ---------------------------------------------------------------
t_ok "demo caseload" demo --pupils 60 --seed 7
snapshot

# --- backup --encrypt ---------------------------------------------------------
umask 000
pw_ok "encrypted backup with the passphrase on a pipe" "$PW" \
    backup "$ENC" --encrypt
t_out "backup says what it did" "^Encrypted a copy of $DB to $ENC\.$"
t_check "the backup is 0600 under umask 000" test "$(mode "$ENC")" = "-rw-------"
t_check "the backup begins with the magic" \
    sh -c "head -c 8 '$ENC' | grep -q '^SENCOENC$'"
t_check "the backup holds no pupil name in clear" \
    sh -c "! grep -a -q 'SQLite format' '$ENC'"
t_check "no temp file is left beside the backup" \
    sh -c "! ls '$T' | grep -q 'tmp-'"
t_unchanged "backup changed nothing in the caseload"

pw_fail 73 "senco: backup: $ENC: a file is already there; senco will not overwrite it" \
    "backup refuses to overwrite" "$PW" backup "$ENC" --encrypt
t_fail 64 "senco: backup: --passphrase-fd goes with --encrypt (see 'senco help backup')" \
    "--passphrase-fd without --encrypt" backup "$T/x.enc" --passphrase-fd 3
t_fail 64 "senco: backup: --passphrase-fd needs the number of an open file descriptor (a passphrase is never taken from the command line) (see 'senco help backup')" \
    "a passphrase typed as an option is refused" backup "$T/x.enc" --encrypt \
    --passphrase "hunter2 secret"
t_check "... and not repeated in the message" sh -c "! grep -q hunter2 '$ERR'"
t_fail 65 "senco: --passphrase-fd: file descriptor 9 is not open" \
    "a closed descriptor" backup "$T/x.enc" --encrypt --passphrase-fd 9
pw_fail 65 "senco: passphrase: an empty passphrase is not allowed" \
    "an empty passphrase" "" backup "$T/x.enc" --encrypt
t_check "the refusals wrote no file" test ! -e "$T/x.enc"
if command -v setsid >/dev/null 2>&1; then
	setsid "$SENCO" backup "$T/x.enc" --encrypt </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	t_check "no terminal and no --passphrase-fd: a usage error" \
	    test "$RC" -eq 64
	t_check "... that says what to do" grep -q -- "--passphrase-fd N" "$ERR"
	t_check "... and wrote nothing" test ! -e "$T/x.enc"
else
	skip "no terminal and no --passphrase-fd" "no setsid"
	skip "... that says what to do" "no setsid"
	skip "... and wrote nothing" "no setsid"
fi

# The passphrase is never in senco's argv or environment: look while it
# works (Argon2id takes a moment after the passphrase is read).
mkfifo "$T/fifo"
"$SENCO" backup "$T/watched.enc" --encrypt --passphrase-fd 3 3<"$T/fifo" \
    </dev/null >/dev/null 2>&1 &
pid=$!
exec 4>"$T/fifo"
printf '%s\n' "watch-this-passphrase" >&4
exec 4>&-
sleep 0.3
if [ -r "/proc/$pid/cmdline" ]; then
	t_check "the passphrase is not in senco's argv" \
	    sh -c "! tr '\\0' '\\n' </proc/$pid/cmdline | grep -q watch-this"
	t_check "nor in its environment" \
	    sh -c "! tr '\\0' '\\n' </proc/$pid/environ | grep -q watch-this"
else
	skip "the passphrase is not in senco's argv" "senco finished or no /proc"
	skip "nor in its environment" "senco finished or no /proc"
fi
wait "$pid"
t_check "the watched backup was made" test -s "$T/watched.enc"

# --- restore ----------------------------------------------------------------------
pw_ok "restore into a new file" "$PW" restore "$ENC" --to "$T/restored.db"
t_out "restore says it checked" "^Restored $ENC to $T/restored.db: a senco caseload that passes the integrity check\.$"
t_check "the restored file is 0600 under umask 000" \
    test "$(mode "$T/restored.db")" = "-rw-------"
t_unchanged "the restored caseload equals the original" "$T/restored.db"
t_ok "the restored caseload passes senco check" --db "$T/restored.db" check
t_check "no temp file is left beside the restored file" \
    sh -c "! ls '$T' | grep -q 'tmp-'"
umask 077

pw_fail 73 "senco: restore: $T/restored.db: a file is already there; senco will not overwrite it" \
    "restore never overwrites" "$PW" restore "$ENC" --to "$T/restored.db"
pw_fail 65 "senco: $ENC: wrong passphrase or damaged backup" \
    "a wrong passphrase is refused" "not the passphrase" restore "$ENC" \
    --to "$T/wrong.db"
t_check "a wrong passphrase wrote nothing" test ! -e "$T/wrong.db"
t_fail 65 "senco: $DB: not encrypted: this is a plain copy of a caseload (open it with --db, or copy it)" \
    "a plain caseload is not a backup" restore "$DB" --to "$T/x.db"
printf 'hello' >"$T/hello.enc"
t_fail 65 "senco: $T/hello.enc: not an encrypted senco backup" \
    "a file that is no backup" restore "$T/hello.enc" --to "$T/x.db"
t_fail 66 "senco: $T/none.enc: No such file or directory" \
    "a missing backup" restore "$T/none.enc" --to "$T/x.db"
t_fail 77 "senco: restore: cannot create a caseload with --read-only" \
    "restore under --read-only" --read-only restore "$ENC" --to "$T/x.db"
t_check "the refused restores wrote nothing" test ! -e "$T/x.db"

# Tampering: the header, a middle chunk, the last chunk; cut; extended.
cp "$ENC" "$T/t.enc"; flip "$T/t.enc" 40
pw_fail 65 "senco: $T/t.enc: wrong passphrase or damaged backup" \
    "a changed header byte (the salt) is refused" "$PW" restore "$T/t.enc" \
    --to "$T/x.db"
cp "$ENC" "$T/t.enc"; flip "$T/t.enc" 0
pw_fail 65 "senco: $T/t.enc: not an encrypted senco backup" \
    "a changed magic is refused" "$PW" restore "$T/t.enc" --to "$T/x.db"
cp "$ENC" "$T/t.enc"; flip "$T/t.enc" $((72 + 65553 + 1000))
pw_fail 65 "senco: $T/t.enc: damaged backup: part 2 of it was changed or cut short" \
    "a changed byte in a middle chunk is refused" "$PW" restore "$T/t.enc" \
    --to "$T/x.db"
head -c $((72 + 2 * 65553)) "$ENC" >"$T/t.enc"
pw_fail 65 "senco: $T/t.enc: truncated backup: its end is missing" \
    "a backup cut at a chunk boundary is refused" "$PW" restore "$T/t.enc" \
    --to "$T/x.db"
cp "$ENC" "$T/t.enc"; printf 'x' >>"$T/t.enc"
pw_fail 65 "senco: $T/t.enc: damaged backup: *" \
    "a backup with a byte added is refused" "$PW" restore "$T/t.enc" \
    --to "$T/x.db"
t_check "the tampered backups wrote nothing" test ! -e "$T/x.db"
t_check "... not even a temp file" sh -c "! ls '$T' | grep -q 'tmp-'"

# Without --to: the caseload path (--db), in a new private directory.
pw_ok "restore to the --db path" "$PW" --db "$T/new/place/caseload.db" \
    restore "$ENC"
t_check "the new directory is 0700" \
    test "$(mode "$T/new/place")" = "drwx------"
t_unchanged "the caseload at the --db path equals the original" \
    "$T/new/place/caseload.db"

# --- purge ------------------------------------------------------------------------
# A pupil who left in 2012, born in 1995 (25th birthday 2020), and one who
# left in 2024, born in 2008; both added when they were at school.
SENCO_TODAY=2005-09-01
t_ok "add a pupil who will be past retention" pupil add --upn "$UPN1" \
    --surname Quillonbury --forename Xanthippe --dob 1995-03-02 --year 5 \
    --status K --need SPLD
t_ok "a note about them" note add "$UPN1" --text "Zyzzogeton clinic referral"
SENCO_TODAY=2012-07-20
t_ok "they leave" pupil archive "$UPN1" --left 2012-07-20
SENCO_TODAY=2020-09-01
t_ok "add a pupil who left recently" pupil add --upn "$UPN2" \
    --surname Keepington --forename Amara --dob 2008-05-05 --year 7
SENCO_TODAY=2024-07-19
t_ok "they leave too" pupil archive "$UPN2" --left 2024-07-19
SENCO_TODAY=2026-01-15
t_check "the name is in the file before" grep -a -q -s Quillonbury "$DB" "$DB-wal"
snapshot

t_ok "purge --dry-run" purge --dry-run
t_out "the dry run lists the pupil past retention" "^  $UPN1  Quillonbury, Xanthippe  born 02/03/1995, left 20/07/2012, kept until 02/03/2020$"
t_no_out "the dry run keeps the recent leaver" "$UPN2"
t_no_out "the dry run keeps pupils on roll" "Ahmed"
t_out "the dry run says so" "^Dry run: nothing was changed\.$"
t_unchanged "the dry run changed nothing"
t_ok "purge --dry-run --left-before" purge --dry-run --left-before 2025-01-01
t_out "left-before lists both leavers" "^  $UPN2  Keepington, Amara "
t_out "... saying whose retention is not over" "kept until 05/05/2033 (retention not over)$"
t_ok "--read-only allows a dry run" --read-only purge --dry-run
t_fail 77 "senco: purge: the caseload is open read-only (--read-only); nothing was changed" \
    "--read-only refuses a purge" --read-only purge --yes
t_fail 64 "senco: purge: no terminal to confirm on: give --yes to remove this 1 pupil (nothing was changed)" \
    "without a terminal, --yes is needed" purge
t_fail 65 "senco: --left-before: 2026-02-01 is after today; only pupils who have already left can be purged" \
    "a date after today is refused" purge --left-before 2026-02-01 --yes
t_fail 65 "senco: --left-before: *" \
    "a bad date is refused" purge --left-before 31/02/2020 --yes
t_unchanged "the refused purges changed nothing"

t_ok "purge --yes" purge --yes
t_out "purge says what it did" "^Purged 1 pupil with every record about them ([0-9]* audit rows)\.$"
t_fail 66 "senco: *$UPN1*" "the purged pupil is gone" pupil show "$UPN1"
t_ok "the recent leaver stays" pupil show "$UPN2"
t_check "no byte of the name is left in the file or -wal" \
    sh -c "! grep -a -q -s Quillonbury '$DB' '$DB-wal'"
t_check "nor of the note" sh -c "! grep -a -q -s Zyzzogeton '$DB' '$DB-wal'"
t_check "nor of the UPN" sh -c "! grep -a -q -s '$UPN1' '$DB' '$DB-wal'"
t_ok "the caseload passes senco check" check
t_ok "audit" audit --format csv
t_out "the trail records that a purge happened" "purged_pupils=1"
t_no_out "... and nothing about the pupil" "Quillonbury"
t_ok "a second purge finds nobody" purge --yes
t_out "... and says so" "^No pupils to purge: no pupils who have left and whose records are past retention (date of birth + 25 years)\.$"

# The retention period comes from the configuration.
printf 'retention_years = 10;\n' >"$T/ten.conf"
t_ok "retention_years = 10" --config "$T/ten.conf" purge --dry-run
t_out "a shorter retention takes the recent leaver" "^  $UPN2  Keepington, Amara  born 05/05/2008, left 19/07/2024, kept until 05/05/2018$"
printf 'retention_years = 0;\n' >"$T/zero.conf"
t_fail 78 "senco: $T/zero.conf:1: 'retention_years' must be a whole number of years from 1 to 100 (kept until date of birth + this)" \
    "retention_years = 0 is refused" --config "$T/zero.conf" purge --dry-run

# --- check: the disk line ---------------------------------------------------------
t_ok "check" check
t_check "check has one disk line" \
    test "$(grep -c -E '^(ok|WARNING|note) +disk: (encrypted \(|not on an encrypted disk: a laptop holding pupil data must use full-disk encryption|unknown \()' "$OUT")" -eq 1

# --- on a terminal: the passphrase without echo, the purge confirmation ------
if [ -n "${TMUX_BIN:-}" ] && command -v "$TMUX_BIN" >/dev/null 2>&1; then
	# A server per terminal: one shutting down is never raced.
	N_SOCK=0
	SOCK="senco-safety-$$-0"
	tmx() { "$TMUX_BIN" -L "$SOCK" "$@"; }
	screen() { tmx capture-pane -p 2>/dev/null; }
	wait_for() {
		_i=0
		while [ $_i -lt 100 ]; do
			screen | grep -q -- "$1" && return 0
			sleep 0.1
			_i=$((_i + 1))
		done
		return 1
	}
	trap 'tmx kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT
	snapshot
	# tty ARGS...: senco ARGS in a fresh 100x30 terminal; the shell
	# prints exit=N after it and whether echo is on, then waits.
	tty() {
		tmx kill-server >/dev/null 2>&1
		N_SOCK=$((N_SOCK + 1))
		SOCK="senco-safety-$$-$N_SOCK"
		{
			echo 'trap : INT'
			printf '"%s"' "$SENCO"
			for _a in "$@"; do printf ' "%s"' "$_a"; done
			echo
			echo 'echo "exit=$?"'
			echo 'stty -a | tr " " "\n" | grep -x -e echo -e -echo'
			echo 'sleep 60'
		} >"$T/tty.sh"
		tmx new-session -d -x 100 -y 30 "sh '$T/tty.sh'"
	}
	typed() {
		tmx send-keys -l "$1"
		tmx send-keys Enter
	}
	on_screen() {
		screen | grep -q -- "$1"
	}

	tty backup "$T/tty.enc" --encrypt
	wait_for "Passphrase for the backup:"
	t_check "asked for the passphrase on the terminal" \
	    on_screen "Passphrase for the backup:"
	typed "typed on the tty"
	wait_for "The same passphrase again:"
	typed "typed on the tty"
	wait_for "exit="
	t_check "the backup from the terminal worked" on_screen "exit=0"
	t_check "the typed passphrase was not echoed" \
	    sh -c "! '$TMUX_BIN' -L '$SOCK' capture-pane -p | grep -q 'typed on'"
	t_check "echo is on again afterwards" on_screen "^echo$"

	tty backup "$T/tty2.enc" --encrypt
	wait_for "Passphrase for the backup:"
	typed "one"
	wait_for "The same passphrase again:"
	typed "two"
	wait_for "exit="
	t_check "two different passphrases are refused" \
	    on_screen "the two passphrases differ"
	t_check "... and nothing was written" test ! -e "$T/tty2.enc"

	tty restore "$T/tty.enc" --to "$T/tty.db"
	wait_for "Passphrase:"
	typed "typed on the tty"
	wait_for "exit="
	t_check "restore with the passphrase from the terminal" on_screen "exit=0"
	t_unchanged "... gives the caseload back" "$T/tty.db"

	tty restore "$T/tty.enc" --to "$T/tty3.db"
	wait_for "Passphrase:"
	tmx send-keys C-c
	wait_for "exit="
	t_check "Ctrl-C at the prompt stops senco" on_screen "exit=130"
	# stty's line comes after exit=: wait for it, whichever it says
	wait_for "^-*echo$"
	t_check "... and leaves echo on" on_screen "^echo$"
	t_check "... and writes nothing" test ! -e "$T/tty3.db"

	t_ok "archive the recent leaver" pupil archive "$UPN2" --left 2024-07-19
	snapshot
	tty purge --left-before 2025-01-01
	wait_for "Type 'yes' to go on:"
	t_check "purge asks on a terminal" on_screen "Remove this 1 pupil"
	typed "no"
	wait_for "exit="
	t_check "answering no changes nothing" on_screen "Nothing was changed."
	t_unchanged "... really nothing"
	tty purge --left-before 2025-01-01
	wait_for "Type 'yes' to go on:"
	typed "yes"
	wait_for "exit="
	t_check "answering yes purges" on_screen "Purged 1 pupil"
	tmx kill-server >/dev/null 2>&1
	t_fail 66 "senco: *$UPN2*" "the confirmed purge removed the pupil" \
	    pupil show "$UPN2"
else
	for _t in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18; do
		skip "terminal test $_t" "no tmux"
	done
fi

finish
