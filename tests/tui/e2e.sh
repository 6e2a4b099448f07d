#!/bin/sh
# tests/tui/e2e.sh QCQLAB: drives the real workbench inside a private tmux server at a
# fixed size (new-session -x -y), types with send-keys and asserts on what
# capture-pane shows: start, help, a bad command, key help, completion, resize to
# 70x20 (the small-terminal message) and back, load, quanv, heatmap, patch, step/back
# by keys, measure, noise, model, train with curves updating, stop, Ctrl-C, the tour,
# save-session, history,
# LANG=C (ASCII drawing), 80x24, quit and Ctrl-D. Skips (77) without tmux.
BIN=$1
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: e2e.sh PATH-TO-QCQLAB"
	exit 2
fi
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }

TMP=$(mktemp -d)
SOCK=$TMP/tmux.sock
S=qcqe2e
fail=0
cleanup() {
	tmux -S "$SOCK" kill-server 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# start W H LANG: a fresh session running the workbench; after it exits the pane says
# QCQ-EXITED rc=N and stays for a minute so the exit can be asserted.
start() {
	tmux -S "$SOCK" kill-session -t $S 2>/dev/null
	tmux -S "$SOCK" new-session -d -s $S -x "$1" -y "$2" \
		"env HOME=$TMP XDG_STATE_HOME=$TMP/state QCQ_CACHE_DIR=$TMP/cache TERM=tmux-256color \
		 LANG=$3 LC_ALL=$3 NO_COLOR=$4 $BIN; echo QCQ-EXITED rc=\$?; sleep 60"
}
screen() { tmux -S "$SOCK" capture-pane -p -t $S; }
keys() { tmux -S "$SOCK" send-keys -t $S "$@"; }
line() { tmux -S "$SOCK" send-keys -t $S -l "$1"; tmux -S "$SOCK" send-keys -t $S Enter; }
dump() { screen | sed 's/^/    | /'; }

# wait_for TEXT [SECONDS]: poll the screen until TEXT is on it
wait_for() {
	i=0
	n=$(( ${2:-15} * 10 ))
	while [ $i -lt $n ]; do
		if screen | grep -F -q -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL: '$1' not on screen after ${2:-15}s"
	dump
	fail=$((fail + 1))
	return 1
}
# wait_gone TEXT [SECONDS]: poll until TEXT has left the screen
wait_gone() {
	i=0
	n=$(( ${2:-15} * 10 ))
	while [ $i -lt $n ]; do
		if ! screen | grep -F -q -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL: '$1' still on screen after ${2:-15}s"
	dump
	fail=$((fail + 1))
	return 1
}
absent() {
	if screen | grep -F -q -- "$1"; then
		echo "FAIL: '$1' is on screen"
		dump
		fail=$((fail + 1))
	fi
}
ok() { echo "ok: $1"; }

have() { "$BIN" -c "help $1" >/dev/null 2>&1; }

# ---------------------------------------------------------------- start, help, errors
start 100 30 C.UTF-8 ""
wait_for "qcq>" && wait_for "workbench for hybrid" && wait_for "─ Log" && ok "start"
line "help"
wait_for "commands may be shortened" && ok "help"
line "frobnicate 3"
wait_for "unknown command 'frobnicate'" && ok "a bad command is reported in the log"
wait_for "qcq>" # still alive

keys F1
wait_for "Ctrl-L" && wait_for "stop the running job" && ok "key help (F1)"
keys x
sleep 0.3
absent "stop the running job"
keys '?'
wait_for "Ctrl-L" && ok "key help (?)"
keys Escape
sleep 0.3
absent "redraw the screen"

# ---------------------------------------------------------------- completion
keys -l "hel"
keys Tab
keys -l "quit"
wait_for "qcq> help quit" && ok "tab completes a command name"
keys C-u
keys -l "load sy"
keys Tab
keys -l "12"
wait_for "qcq> load synth 12" && ok "tab completes a kind"
keys C-u
keys -l "train ep"
keys Tab
keys -l "3"
wait_for "qcq> train epochs=3" && ok "tab completes an option key"
keys C-u

# ---------------------------------------------------------------- resize
tmux -S "$SOCK" resize-window -t $S -x 70 -y 20
wait_for "needs a terminal of at least 80x24" && wait_for "this one is 70x20" &&
	ok "small-terminal message at 70x20"
tmux -S "$SOCK" resize-window -t $S -x 100 -y 30
wait_for "─ Log" && ok "back to 100x30"
absent "needs a terminal"

# ---------------------------------------------------------------- data, features, circuit
line "load synth 2000"
wait_for "synth 2000 digits" && wait_for "image 0/2000" && ok "load synth: the data pane"
line "classes 3 8"
wait_for "side " && ok "classes"
line "quanv"
wait_for "quanvolved 4x14x14" 60 && wait_for "<Z3>" && ok "quanv: feature maps drawn"
line "heatmap 1"
wait_for "image 1/" && ok "heatmap"
line "patch 1 5 6"
wait_for "─ Circuit" && wait_for "cursor 0/" && wait_for "┤RY(" && ok "patch: the circuit pane"
if have step && have back; then
	keys F3
	wait_for "focus: Circuit"
	keys n
	wait_for "cursor 1/" && wait_for "applied: " && ok "n steps forward"
	keys n Right
	wait_for "cursor 3/" && ok "n and Right step"
	keys p
	wait_for "cursor 2/" && ok "p steps back"
	keys Left
	wait_for "cursor 1/" && ok "Left steps back"
	keys F4
	wait_for "─ State" && wait_for "<Z> " && wait_for "|0000>" && ok "the state pane"
	keys Escape
	line "measure 500"
	wait_for "measured: 500 shots" && ok "measure: the histogram"
	line "set noise depolarizing p1=0.05 p2=0.1"
	line "patch 1 5 6"
	line "run"
	wait_for "density matrix" && wait_for "purity tr(rho^2)" && ok "noise: populations and purity"
	line "set noise off"
else
	echo "note: step/back not in the command table yet; stepping by keys not tested"
fi

# ---------------------------------------------------------------- model, train, stop
line "model qcq-cnn"
wait_for "qcq> model qcq-cnn"
line "train epochs=2000"
wait_for "Ctrl-C stops" 20 && wait_for "ETA" && ok "train runs in the background"
wait_for " epochs, last: val loss" 30
epochs() { screen | sed -n 's/.*Curves ─ \([0-9]*\) epochs.*/\1/p'; }
e1=$(epochs)
e2=$e1
i=0
while [ $i -lt 300 ] && [ "$e2" = "$e1" ]; do # slow builds (sanitizers) take longer
	sleep 0.1
	e2=$(epochs)
	i=$((i + 1))
done
if [ -n "$e1" ] && [ -n "$e2" ] && [ "$e2" -gt "$e1" ]; then
	ok "curves update while training ($e1 -> $e2 epochs)"
else
	echo "FAIL: curves did not advance ('$e1' -> '$e2')"
	dump
	fail=$((fail + 1))
fi
line "echo typed-while-training"
wait_for "typed-while-training" && ok "the prompt works while training"
line "stop"
wait_for "train stopped" 30 && wait_for "last run:" && ok "stop"
absent "Ctrl-C stops"
line "train epochs=2000"
wait_for "Ctrl-C stops" 20
keys C-c
wait_gone "Ctrl-C stops" 30 # the job has ended (the status bar says so)
# the note may have scrolled out of the log: PgUp at the prompt scrolls it back
found=0
for k in 0 1 2 3 4; do
	if screen | grep -F -q "stopping train (Ctrl-C)"; then
		found=1
		break
	fi
	keys PPage
	sleep 0.3
done
if [ $found = 1 ]; then ok "Ctrl-C stops the job"; else
	echo "FAIL: no 'stopping train (Ctrl-C)' in the log"
	dump
	fail=$((fail + 1))
fi
# (the next command makes the log follow its output again)
absent "QCQ-EXITED"

line "save-session $TMP/explored.qcq"
sleep 1
if grep -q "load synth 2000" "$TMP/explored.qcq" 2>/dev/null &&
	grep -q "patch 1 5 6" "$TMP/explored.qcq"; then
	ok "save-session writes what was typed"
else
	echo "FAIL: save-session: $(cat "$TMP/explored.qcq" 2>&1)"
	fail=$((fail + 1))
fi

line "tour"
wait_for "== Done." 120 && wait_for "last run: 10 epochs" && ok "tour runs in the workbench"
line "quit"
wait_for "QCQ-EXITED rc=0" && ok "quit"
if grep -q "^frobnicate 3$" "$TMP/state/qcqlab/history" 2>/dev/null; then
	ok "history saved in \$XDG_STATE_HOME/qcqlab/history"
else
	echo "FAIL: no history file"
	fail=$((fail + 1))
fi

# ---------------------------------------------------------------- LANG=C, no colour, 80x24
start 80 24 C 1
wait_for "qcq>" && wait_for "- Log -" && ok "LANG=C: ASCII rules"
absent "─"
line "load synth 200"
wait_for "synth 200 digits"
keys Up
wait_for "qcq> load synth 200" && ok "history recalls the last line (Up)"
keys C-u
line "classes 3 8"
line "quanv"
wait_for "<Z3>" 60 && ok "LANG=C: feature maps drawn in ASCII"
absent "▀"
keys C-d
wait_for "QCQ-EXITED rc=0" && ok "Ctrl-D leaves"

# ---------------------------------------------------------------- 200x60
start 200 60 C.UTF-8 ""
wait_for "─ Data" && wait_for "─ Curves" && wait_for "─ Circuit" && wait_for "─ State" &&
	ok "200x60: all four panes"
tmux -S "$SOCK" resize-window -t $S -x 80 -y 24
wait_for "─ Log" && absent "─ State" && ok "relayout to 80x24"
line "quit"
wait_for "QCQ-EXITED rc=0"

# ---------------------------------------------------------------- SIGTERM restores and leaves
start 100 30 C.UTF-8 ""
wait_for "qcq>"
pid=$(tmux -S "$SOCK" list-panes -t $S -F '#{pane_pid}')
kill -TERM $(pgrep -P "$pid" -x qcqlab 2>/dev/null || pgrep -P "$pid") 2>/dev/null
wait_for "QCQ-EXITED rc=1" && ok "SIGTERM leaves cleanly"

if [ $fail -ne 0 ]; then
	echo "$fail failures"
	exit 1
fi
echo "all passed"
exit 0
