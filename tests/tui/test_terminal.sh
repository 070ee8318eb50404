#!/bin/sh
# Terminal behaviour: UTF-8 names line up, NO_COLOR, resize to 60x20
# and back, read-only refusal, config key problems reported with their
# line, and hang-up / SIGTERM / a vanished terminal leaving a clean
# caseload within a second.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 25

tui_fixture

# --- UTF-8 alignment ----------------------------------------------------
tui_start
tui_wait "Next review"
check "the register shows 李" tui_wait "李, Wei"
# the width of everything before the year column, for each pupil row
cols=$(tui_screen | grep -E '^(Adams|Brown|Nguyễn|Nowak|O.Neill|李),' |
    sed -E 's/(N1|N2|R|[0-9]+|X) +[KEN] +[A-Z]+ .*$//' |
    while IFS= read -r l; do printf '%s\n' "$l" | wc -L; done | sort -u)
check "six pupils are listed" test "$(tui_screen | grep -c -E \
    '^(Adams|Brown|Nguyễn|Nowak|O.Neill|李),')" = 6
check "Zoë, Siobhán, Łukasz, Nguyễn and 李 line up (one year column: $cols)" \
    test "$(echo "$cols" | wc -l | tr -d ' ')" = 1
check "an overdue review is said in words" tui_wait "02/02/2026 overdue"
check "with colour allowed, colour is used" sh -c \
    "'$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p -e | grep -q -E '\[(3[0-7]|4[0-7])m|\[[0-9;]*;(3[0-7]|4[0-7])m'"
tui_keys q
tui_exited

# --- NO_COLOR ----------------------------------------------------------
tui_start NO_COLOR=1
tui_wait "Next review"
check "NO_COLOR: no colour at all" sh -c \
    "! '$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p -e | grep -q -E '\[(3[0-7]|4[0-7])m|\[[0-9;]*;(3[0-7]|4[0-7])m'"
check "NO_COLOR: the cursor row is still shown (reverse video)" sh -c \
    "'$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p -e | grep -q '\[7m'"
check "NO_COLOR: overdue still said in words" tui_wait "overdue"

# --- resize ------------------------------------------------------------
tmx resize-window -x 60 -y 20
check "60x20 shows the too-small message" tui_wait "terminal too small (need 80x24"
tmx resize-window -x 80 -y 24
check "back to 80x24 the register returns" tui_wait "Next review"
# inside a form: what was typed survives the round trip
tui_keys : ; tui_type "goto $TUI_UPN_ZOE"; tui_keys Enter
tui_wait "Read 20 common exception words"
tui_keys a ; tui_type "Typed before the resize"
tui_wait "Typed before the resize"
tmx resize-window -x 60 -y 20
tui_wait "terminal too small"
tmx resize-window -x 100 -y 30
check "a form survives a resize with its text" tui_wait "Typed before the resize"
tui_keys Escape
tmx resize-window -x 80 -y 24
tui_keys q q
tui_exited

# --- a monochrome terminal ----------------------------------------------------
tui_start TERM=vt100
check "TERM=vt100: the register opens" tui_wait "Next review"
check "TERM=vt100: no colour, the cursor row in reverse video" sh -c \
    "'$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p -e | grep -q '\[7m' &&
    ! '$TMUX_BIN' -L '$TUI_SOCK' capture-pane -p -e | grep -q -E '\[(3[0-7]|4[0-7])m'"
tui_keys q
tui_exited

# --- read-only ---------------------------------------------------------
tui_start -- --read-only
tui_wait "Next review"
tui_keys : ; tui_type "goto $TUI_UPN_ZOE"; tui_keys Enter
tui_wait "Read 20 common exception words"
tui_keys 3
check "read-only: a rating key says why it does nothing" tui_wait "read-only"
check "read-only: nothing was written" test -z "$(sen target list \
    $TUI_UPN_ZOE --format csv | sed -n 2p | cut -d, -f6)"
tui_keys a
check "read-only: the add key is refused too" tui_wait "'target-add'"
tui_keys q q
tui_exited

# --- key bindings from the config file ------------------------------------
mkdir -p "$XDG_CONFIG_HOME/senco"
cat >"$XDG_CONFIG_HOME/senco/senco.conf" <<'CONF'
keys = {
    no-such-action = "z";
    sort = "j";
};
CONF
tui_start
check "an unknown action is reported with its config line" \
    tui_wait "senco.conf:2: unknown action 'no-such-action'"
tui_keys '?'
check "help lists every config problem" tui_wait \
    "senco.conf:3: key 'j' for 'sort' is already bound to 'down'"
tui_keys q q
tui_exited
cat >"$XDG_CONFIG_HOME/senco/senco.conf" <<'CONF'
keys = {
    sort = "j";
};
CONF
tui_start
check "a key already taken is reported with its config line" \
    tui_wait "senco.conf:2: key 'j' for 'sort' is already bound to 'down'"
tui_keys q
tui_exited
rm "$XDG_CONFIG_HOME/senco/senco.conf"

# --- signals and a lost terminal -------------------------------------------
# hang-up in the middle of a form: senco exits within a second and the
# caseload is clean, the half-typed target not written
tui_start
tui_wait "Next review"
tui_keys : ; tui_type "goto $TUI_UPN_ZOE"; tui_keys Enter
tui_wait "Read 20 common exception words"
tui_keys a ; tui_type "Half typed when the line dropped"
tui_wait "Half typed"
pid=$TUI_PID
kill -HUP "$pid"
TUI_TRIES=10	# one second
check "SIGHUP: senco exits within a second" tui_exited
TUI_TRIES=50
check "SIGHUP: the caseload passes senco check" sen check
check "SIGHUP: nothing half-written" test "$(sen target list $TUI_UPN_ZOE \
    --format csv | sed 1d | wc -l | tr -d ' ')" = 2

tui_start
tui_wait "Next review"
kill -TERM "$TUI_PID"
TUI_TRIES=10
check "SIGTERM: senco exits within a second" tui_exited
TUI_TRIES=50

# the terminal itself goes away (tmux server killed: EIO and SIGHUP)
tui_start
tui_wait "Next review"
pid=$TUI_PID
tmx kill-server
_i=0
while [ $_i -lt 10 ] && tui_alive "$pid"; do
	sleep 0.1
	_i=$((_i + 1))
done
check "terminal gone: senco exits, never spins" sh -c \
    "! grep -q '^[0-9]* ([^)]*) [RSD]' /proc/$pid/stat"
check "terminal gone: the caseload passes senco check" sen check
tui_done
