# tests/tui/lib.sh: what the tmux end-to-end scripts share (sourced; BIN is set): a
# private tmux server, start/screen/keys/line and polls that wait for what they expect
# with a generous deadline (QCQ_E2E_SCALE scales it) instead of fixed sleeps. The
# script's first argument is the qcqlab to drive; without tmux it skips (77).
BIN=$1
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: $(basename "$0") PATH-TO-QCQLAB"
	exit 2
fi
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }
SCALE=${QCQ_E2E_SCALE:-1}
TMP=$(mktemp -d)
SOCK=$TMP/tmux.sock
S=qcqe2e0
NSTART=0
fail=0
cleanup() {
	tmux -S "$SOCK" kill-server 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# start W H LANG NO_COLOR [ARGS]: a fresh session running the workbench; after it exits
# the pane says QCQ-EXITED rc=N and stays for a while so the exit can be asserted. Its
# stderr (nothing, unless a sanitizer reports) goes to a file checked at the end.
start() {
	# a new session under a new name first, then the old one goes: the server always
	# has a session, so a new one never races a server that is exiting ("server exited
	# unexpectedly" on a busy machine)
	old=$S
	NSTART=$((NSTART + 1))
	S=qcqe2e$NSTART
	tmux -S "$SOCK" new-session -d -s $S -x "$1" -y "$2" \
		"env HOME=$TMP XDG_STATE_HOME=$TMP/state QCQ_CACHE_DIR=$TMP/cache TERM=tmux-256color \
		 LANG=$3 LC_ALL=$3 NO_COLOR=$4 $BIN $5 2>>$TMP/stderr; echo QCQ-EXITED rc=\$?; sleep 600"
	tmux -S "$SOCK" kill-session -t "$old" 2>/dev/null
}
screen() { tmux -S "$SOCK" capture-pane -p -t $S; }
keys() { tmux -S "$SOCK" send-keys -t $S "$@"; }
line() { tmux -S "$SOCK" send-keys -t $S -l "$1"; tmux -S "$SOCK" send-keys -t $S Enter; }
dump() { screen | sed 's/^/    | /'; }
failed() {
	echo "FAIL: $1"
	dump
	fail=$((fail + 1))
	return 1
}

# deadline [SECONDS]: sets END, the time (s since the epoch) a poll gives up
deadline() { END=$(( $(date +%s) + ${1:-60} * SCALE )); }
late() { [ "$(date +%s)" -gt "$END" ]; }
# has TEXT: TEXT is on the screen now
has() { screen | grep -F -q -- "$1"; }

# wait_for TEXT [SECONDS]: poll the screen until TEXT is on it (default 60 s)
wait_for() {
	deadline "$2"
	until has "$1"; do
		late && { failed "'$1' not on screen after $((${2:-60} * SCALE))s"; return 1; }
		sleep 0.2
	done
	return 0
}
# wait_gone TEXT [SECONDS]: poll until TEXT has left the screen
wait_gone() {
	deadline "$2"
	while has "$1"; do
		late && { failed "'$1' still on screen after $((${2:-60} * SCALE))s"; return 1; }
		sleep 0.2
	done
	return 0
}
absent() {
	if has "$1"; then failed "'$1' is on screen"; fi
}
# count TEXT: how many times TEXT is on the screen above the log
count() { screen | sed '/─ Log\|- Log -/,$d' | grep -F -o -- "$1" | wc -l; }
# wait_count TEXT N [SECONDS]: poll until TEXT is there at least N times above the log
wait_count() {
	deadline "$3"
	until [ "$(count "$1")" -ge "$2" ]; do
		late && { failed "'$1' not $2 times above the log"; return 1; }
		sleep 0.2
	done
	return 0
}
ok() { echo "ok: $1"; }

have() { "$BIN" -c "help $1" >/dev/null 2>&1; }
# colours: the screen with its escape sequences (capture-pane -e)
screen_e() { tmux -S "$SOCK" capture-pane -p -e -t $S; }

# finish: the sanitizer check of the workbench's stderr and the exit status
finish() {
	if grep -E -q "runtime error|AddressSanitizer|LeakSanitizer" "$TMP/stderr" 2>/dev/null; then
		echo "FAIL: a sanitizer reported:"
		sed 's/^/    | /' "$TMP/stderr" | head -40
		fail=$((fail + 1))
	fi
	if [ $fail -ne 0 ]; then
		echo "$fail failures"
		exit 1
	fi
	echo "all passed"
	exit 0
}
