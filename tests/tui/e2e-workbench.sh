#!/bin/sh
# tests/tui/e2e-workbench.sh QCQLAB: the workbench keeps its promises (issue 13), seen
# through tmux: the heat maps' colours in a 256-colour terminal (capture-pane -e);
# at 80x24 a circuit and its state on screen together, stepped from the State pane;
# zoom; a log that grows; End after PgUp; the mouse; Ctrl-D while training; Tab
# completion of save-session. Skips (77) without tmux.
. "$(dirname "$0")/lib.sh"

# ---------------------------------------------------------------- heat map colours
# <Z> = +1 (the background of the <Z0> map: blank pixels, cos(0) = 1) is the ramp's
# red, report's diverging map at +1 as the nearest xterm colour (124), on both halves of a
# cell, as `export png heatmap` writes it; no heat cell may be drawn in a colour outside
# the two ramps (a colour pair past 255 wraps onto the prompt's green, 114)
start 100 30 C.UTF-8 ""
wait_for "qcq>" && wait_for "<Z3>" && wait_for "─ Log"
heat=$(screen_e | grep '▀')
if printf '%s\n' "$heat" | grep -q '38;5;124;48;5;124m\|38;5;124m.*48;5;124m\|48;5;124;38;5;124m'; then
	ok "256 colours: <Z> = +1 cells are the map's red (124, as export png)"
else
	failed "no red (124) +1 cell in the heat maps"
fi
if printf '%s\n' "$heat" | grep -q '[34]8;5;114m\|[34]8;5;114;'; then
	failed "a heat cell in green (114): a colour pair wrapped past 255"
else
	ok "256 colours: no heat cell outside the ramps"
fi

line quit
wait_for "QCQ-EXITED rc=0"

# ---------------------------------------------------------------- the data pane
# column of TEXT on the screen row that holds it (1-based, in characters)
col_of() { screen | python3 -c 'import sys
t = sys.argv[1]
for l in sys.stdin:
    if t in l:
        print(l.index(t) + 1)
        break' "$1"; }
rowx() { screen | grep -n -F -- "$1" | head -1 | cut -d: -f1; }
have_py=0; command -v python3 > /dev/null && have_py=1
# 120x40: four maps as 2x2 (not 3 + 1); the class, the task's label and the verdict in
# class names
start 120 40 C.UTF-8 ""
wait_for "<Z3>" && wait_for "class 3  (label 0)" && absent "side " &&
	ok "120x40: the data pane names the task label, no 'side'"
if [ "$(rowx "<Z2>")" = "$(rowx "<Z3>")" ] && [ "$(rowx "<Z0>")" = "$(rowx "<Z1>")" ] &&
	[ "$(rowx "<Z0>")" != "$(rowx "<Z2>")" ]; then ok "120x40: the four maps as 2x2"; else
	failed "120x40: maps not 2x2"; fi
line "patch 0 7 7"
wait_for "─ State" && wait_for "q3  <Z> +1.000  (+0.00, +0.00, +1.00)  |r| 1.00" &&
	ok "120x40: the State pane's rows end with |r| and its value"
line "model cnn; train epochs=2"
wait_for "last run: 2 epochs" && wait_for "(p 0." && wait_for "3 (p 0." &&
	ok "the verdict in class names (through cmd_predict_image)"
line quit
wait_for "QCQ-EXITED rc=0"
# 200x60: maps larger than their 14 pixels
start 200 60 C.UTF-8 ""
wait_for "<Z3>" && wait_for "─ State"
if [ $have_py = 1 ]; then
	d=$(( $(col_of "<Z1>") - $(col_of "<Z0>") ))
	if [ "$d" -gt 18 ]; then ok "200x60: feature maps magnified ($d columns apart)"; else
		failed "200x60: maps $d columns apart (14 + 2 is unmagnified)"; fi
fi
line quit
wait_for "QCQ-EXITED rc=0"

# ---------------------------------------------------------------- the density matrix
# under noise the State pane draws rho itself (rows and columns 0..3 for 2 qubits); the
# Bell state's corner coherence is full-shaded with weak noise and fades with strong
start 120 40 C.UTF-8 ""
wait_for "qcq>"
line "circuit new 2; circuit gate h 0; circuit gate cx 0 1; set noise depolarizing p1=0.001 p2=0.001; run"
wait_for "cursor 2/2" && wait_for "rho: shade |rho_ij|" && wait_for "0  █→· · █→" &&
	ok "the density matrix in the State pane: the Bell state's coherence"
line "set noise depolarizing p1=0.3 p2=0.6; circuit new 2; circuit gate h 0; circuit gate cx 0 1; run"
wait_for "rho: shade |rho_ij|" && wait_gone "0  █→· · █→" && wait_for "0  █→· · ▒→" &&
	ok "strong noise: the off-diagonal cells fade"
line "set noise off; run"
wait_gone "rho: shade" && ok "a pure state: no matrix"
line quit
wait_for "QCQ-EXITED rc=0"

# ---------------------------------------------------------------- the tour
# each step shows the pane it talks about, focused, so the learner can act there
start 100 30 C.UTF-8 ""
wait_for "qcq>" && wait_for "<Z3>"
line "tour"
wait_for "paused before tour.qcq:17" && wait_for "focus: Data" && ok "tour 1: the Data pane"
keys Enter
wait_for "paused before tour.qcq:28" && wait_for "focus: Circuit" && wait_for "cursor 0/9" &&
	ok "tour 2: the Circuit pane, focused"
keys n n
wait_for "cursor 2/9" && ok "tour 2: n steps the circuit where the tour asks"
keys Enter
wait_for "paused before tour.qcq:46" && wait_for "focus: State" && wait_for "cursor 9/9" &&
	ok "tour 2: the State pane at the end of the circuit"
line "stop"
wait_for "ended the paused session"
line quit
wait_for "QCQ-EXITED rc=0"

# ---------------------------------------------------------------- 80x24: stepping
# row N of the screen (1 = the status bar)
row_of() { screen | grep -n -F -- "$1" | head -1 | cut -d: -f1; }
start 80 24 C.UTF-8 ""
wait_for "qcq>" && wait_for "<Z3>"
line "patch 0 7 7"
wait_for "cursor 0/9"
wait_for "─ Circuit" && wait_for "─ State" && wait_for "q0  <Z> +1.000" &&
	ok "80x24: the circuit and its state side by side"
wait_for "set: depth 2  noise off  shots exact" && wait_for "|r| 1.00" &&
	ok "80x24: the status bar keeps the settings; the State pane keeps |r|"
line "set shots 1024"
wait_for "noise off  shots 1024" && ok "80x24: the status bar shows the number of shots"
line "set shots exact"
wait_for "noise off  shots exact"
keys F4
wait_for "focus: State"
keys n
wait_for "cursor 1/9" && wait_gone "q0  <Z> +1.000" && wait_for "focus: State" &&
	ok "80x24: n in the State pane steps the circuit and the state changes"
keys p
wait_for "cursor 0/9" && wait_for "q0  <Z> +1.000" && ok "80x24: p steps back"
# zoom: the focused pane alone, and back
keys z
wait_gone "─ Log" && wait_gone "─ Circuit" && wait_for "─ State" && ok "z zooms the State pane"
keys z
wait_for "─ Log" && wait_for "─ Circuit" && ok "z again: back to the layout"
keys F7
wait_gone "─ Log" && keys F7 && wait_for "─ Log" && ok "F7 zooms and back"
# the log grows with + in the log pane
r1=$(row_of "─ Log")
keys F6
keys + +
deadline 20
until [ "$(row_of "─ Log")" -lt "$r1" ] 2>/dev/null || late; do sleep 0.2; done
if [ "$(row_of "─ Log")" -lt "$r1" ]; then ok "+ grows the log (row $r1 -> $(row_of "─ Log"))"; else
	failed "the log did not grow"; fi
keys - -
deadline 20
until [ "$(row_of "─ Log")" = "$r1" ] || late; do sleep 0.2; done
[ "$(row_of "─ Log")" = "$r1" ] && ok "- shrinks it back" || failed "the log did not shrink"
keys Escape
# End after PgUp follows the log again
line "help"
wait_for "commands may be shortened"
keys PPage
wait_for "scrolled up" && keys End && wait_gone "scrolled up" && ok "End after PgUp follows the log"
# the mouse (xterm X10 reports, as tmux-256color's kmous says): a click focuses the
# pane under it; the wheel scrolls the log
click() { # X Y (0-based cells), button code B (0 left, 64 wheel up)
	keys -l "$(printf '\033[M%b%b%b' "\\$(printf '%03o' $((32 + $3)))" \
		"\\$(printf '%03o' $((33 + $1)))" "\\$(printf '%03o' $((33 + $2)))")"
}
# (a report split by a busy machine reads as Esc and letters: try it up to three times)
for try in 1 2 3; do
	click 10 5 0
	click 10 5 3
	deadline 5
	until has "focus: Circuit" || late; do sleep 0.2; done
	has "focus: Circuit" && break
	keys Escape C-u
done
wait_for "focus: Circuit" && ok "a click focuses the pane under it"
lr=$(row_of "─ Log")
click 10 $((lr + 1)) 64
wait_for "scrolled up" && ok "the wheel scrolls the log"
keys Escape
keys End
wait_gone "scrolled up"
# `train ` Tab lists train's options (not the files of the directory); a second Tab does
# not print the list again
keys -l "train "
keys Tab
wait_for "epochs=" && wait_for "resume" && ok "train Tab offers its options"
n1=$(screen | grep -c "epochs=")
keys Tab
sleep 1
n2=$(screen | grep -c "epochs=")
[ "$n1" = "$n2" ] && ok "a second Tab does not print the list twice" ||
	failed "the list printed again ($n1 -> $n2)"
keys C-u
# Tab completes save-session
keys -l "save-s"
keys Tab
wait_for "qcq> save-session" && ok "Tab completes save-session"
keys C-u
# a typed stop while a session file trains: stops the training and ends the session
printf 'echo session-start\ntrain epochs=100000\necho session-after-train\n' > "$TMP/long.qcq"
line "model cnn"
line "source $TMP/long.qcq"
wait_for "running: source" # (its echo may have scrolled away under the epochs)
wait_for "epoch "
line "stop"
wait_for "train stopped" && wait_gone "running: source" && absent "session-after-train" &&
	ok "a typed stop stops the training of a running session file"
# Ctrl-D while training asks first; the second one leaves
line "model cnn"
line "train epochs=100000"
wait_for "Ctrl-C stops"
keys C-d
wait_for "Ctrl-D again leaves" && absent "QCQ-EXITED" && ok "Ctrl-D while training asks"
keys C-d
wait_for "QCQ-EXITED rc=0" && ok "a second Ctrl-D leaves"

finish
