#!/bin/sh
# tests/tui/e2e-workbench.sh QCQLAB: the workbench keeps its promises (issue 13), seen
# through tmux: the heat maps' colours in a 256-colour terminal (capture-pane -e).
# Skips (77) without tmux.
BIN=$1
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: e2e-workbench.sh PATH-TO-QCQLAB"
	exit 2
fi
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }
. "$(dirname "$0")/lib.sh"

# ---------------------------------------------------------------- heat map colours
# <Z> = +1 (the background of the <Z0> map: blank pixels, cos(0) = 1) is the ramp's
# dark red (88) on both halves of a cell; no heat cell may be drawn in a colour outside
# the two ramps (a colour pair past 255 wraps onto the prompt's green, 114)
start 100 30 C.UTF-8 ""
wait_for "qcq>" && wait_for "<Z3>" && wait_for "─ Log"
heat=$(screen_e | grep '▀')
if printf '%s\n' "$heat" | grep -q '38;5;88;48;5;88m\|38;5;88m.*48;5;88m\|48;5;88;38;5;88m'; then
	ok "256 colours: <Z> = +1 cells are dark red"
else
	failed "no dark red (88) +1 cell in the heat maps"
fi
if printf '%s\n' "$heat" | grep -q '[34]8;5;114m\|[34]8;5;114;'; then
	failed "a heat cell in green (114): a colour pair wrapped past 255"
else
	ok "256 colours: no heat cell outside the ramps"
fi

finish
