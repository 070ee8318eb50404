#!/bin/sh
# The register: the demo caseload opens, search as you type, :goto,
# sorting, filters, help, and q quits.
. "$SENCO_SRCDIR/tests/tui/lib.sh"
tui_plan 16

tui_demo
# the first pupil on the register, and one further down, from the CLI
first=$(sen pupil list --format csv | sed -n 2p | cut -d, -f2)
row=$(sen pupil list --format csv | sed -n 12p)
upn=$(echo "$row" | cut -d, -f1)
surname=$(echo "$row" | cut -d, -f2)
forename=$(echo "$row" | cut -d, -f3)

tui_start
check "the demo caseload opens on the register" tui_wait "Next review"
check "the header names the counts" tui_wait "shown"
check "the first pupil is listed" tui_wait "$first, "
check "the hint bar shows the keys" tui_wait "? help"

# moving the cursor one row sends only the two rows it changed: the
# bytes senco writes for one j are far fewer than a screenful
out="$TUI_DIR/pane.out"
# the size of $out once it has grown past $1 and then stayed the same for
# a tenth of a second (a key's output is written at once), or after 5 s:
# no fixed sleep, which a loaded machine could outlast
settled() {
	_last=-1 _i=0
	while [ $_i -lt 50 ]; do
		_n=$(wc -c <"$out" 2>/dev/null || echo 0)
		[ "$_n" -gt "$1" ] && [ "$_n" = "$_last" ] && break
		_last=$_n
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "$_n"
}
tmx pipe-pane -o "cat >>'$out'"
sleep 0.3
before=$(wc -c <"$out" 2>/dev/null || echo 0)
tui_keys j
after=$(settled "$before")
bytes=$((after - before))
check "one row down sends few bytes ($bytes), no repaint" \
    test "$bytes" -gt 0 -a "$bytes" -lt 700
before=$after
tui_keys C-l
after=$(settled "$before")
check "Ctrl-L repaints the whole screen ($((after - before)) bytes)" \
    test $((after - before)) -gt 1500
tmx pipe-pane

tui_keys /
tui_type "$surname"
check "search as you type shows the prompt" tui_wait "/$surname"
tui_keys Enter Enter
check "Enter opens the pupil found" tui_wait "UPN "
check "the pupil screen names the pupil" tui_wait "$surname, "
tui_keys q
check "q goes back to the register" tui_wait "Next review"

tui_keys : ; tui_type "goto $upn"; tui_keys Enter
check ":goto UPN opens that pupil" tui_wait "UPN $upn"
tui_keys q

tui_keys s
check "s sorts by the next column (year)" tui_wait "Yr▲"
tui_keys S
check "S reverses the order" tui_wait "Yr▼"

tui_keys : ; tui_type "filter E"; tui_keys Enter
check ":filter E says so in the header" tui_wait "filter: E"
tui_keys F f
tui_wait "Filter the register"
tui_keys Right
tui_keys C-s
check "the filter form sets status K" tui_wait "filter: K"

tui_keys q
check "q on the register quits senco" tui_exited
tui_done
