#!/bin/sh
# Output per key (issue 6): each key's screen update reaches the terminal
# in one write(2) or a few, not one per cursor movement. Over SSH every
# write is a packet of its own (with its headers and MAC), so a page of
# the register written in 70 pieces costs a slow link several times its
# bytes. ncurses 6.4 flushed at every cursor movement until the screen
# had been through endwin() once; ui.c puts it in its running state.
# Counted with strace; skipped where strace is not installed.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 7

STRACE=$(command -v strace || true)
if [ -z "$STRACE" ]; then
	for i in 1 2 3 4 5 6 7; do ok "# SKIP strace is not installed"; done
	exit 0
fi

tui_demo
trace="$TUI_DIR/writes"
wrap="$TUI_DIR/senco-traced"
cat >"$wrap" <<EOF
#!/bin/sh
exec "$STRACE" -qq -e trace=write -e signal=none -o "$trace" "$SENCO" "\$@"
EOF
chmod 700 "$wrap"
real=$SENCO
SENCO=$wrap
tui_start
SENCO=$real

check "the register shows under strace" tui_wait "Next review"
sleep 0.3
# the writes to the terminal (fd 1) so far, and the register's top row
before=$(grep -c '^write(1,' "$trace")
top=$(tui_line 3)
keys=8
# down a page and back again, eight times: every key redraws the list
# (the demo's 38 pupils are two pages); each key's screen is waited for,
# not slept on, which a loaded machine could outlast
i=0
while [ $i -lt $keys ]; do
	tui_keys NPage
	tui_gone "$top"
	[ $i -eq 0 ] && down=$(tui_line 3)
	tui_keys PPage
	tui_wait "$top"
	i=$((i + 1))
done
sleep 0.3
check "paging down moved the list ($down)" test "$down" != "$top"
check "paging up brought it back" test "$(tui_line 3)" = "$top"
after=$(grep -c '^write(1,' "$trace")
n=$((after - before))
# at most two writes a key (a page and, on a slow terminal, its tail)
check "16 page keys took $n writes to the terminal (at most 32)" \
    test "$n" -le $((2 * keys * 2))
check "every page key wrote something ($n writes for 16 keys)" \
    test "$n" -ge $((keys * 2))
tui_keys q
check "senco quit" tui_exited
check "the trace has senco's writes" test "$before" -ge 1
tui_done
