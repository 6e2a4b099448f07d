#!/bin/sh
# tests/cmd/cli.sh QCQLAB: the command line as a script would use it — exit codes
# (0 ok, 1 a command failed, 2 bad usage), -c/-x/stdin, --json lines, file:line errors.
Q=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/check.sh"

"$Q" -c 'echo hello' > "$T/out" 2> "$T/err"; rc=$?
check "-c ok exits 0" $([ $rc = 0 ] && grep -qx hello "$T/out"; echo $?)

"$Q" -c 'echo a; bogus; echo never' > "$T/out" 2> "$T/err"; rc=$?
check "failing command exits 1" $([ $rc = 1 ]; echo $?)
check "error names -c:1" $(grep -q "^error: -c:1: unknown command 'bogus'" "$T/err"; echo $?)
check "stops at the error" $(! grep -q never "$T/out"; echo $?)

"$Q" --frobnicate > "$T/out" 2> "$T/err"; rc=$?
check "bad usage exits 2" $([ $rc = 2 ] && grep -q "unknown argument '--frobnicate'" "$T/err"; echo $?)
"$Q" -x > /dev/null 2>&1; rc=$?
check "-x without file exits 2" $([ $rc = 2 ]; echo $?)

printf 'echo one\n# comment\nset depth 9\necho two\n' > "$T/s.qcq"
"$Q" -x "$T/s.qcq" > "$T/out" 2> "$T/err"; rc=$?
check "session error exits 1" $([ $rc = 1 ]; echo $?)
check "session error names file:line" $(grep -q "s.qcq:3: depth: 9 out of range" "$T/err"; echo $?)
check "session error shows usage" $(grep -q "^usage: set " "$T/err"; echo $?)

printf 'echo ${greeting:-hi} ${who}\n' > "$T/v.qcq"
"$Q" -x "$T/v.qcq" who=world > "$T/out" 2> "$T/err"; rc=$?
check "-x NAME=VALUE" $([ $rc = 0 ] && grep -qx "hi world" "$T/out"; echo $?)

printf 'echo from stdin; set shots 64\nshow settings\n' | "$Q" > "$T/out" 2> "$T/err"; rc=$?
check "stdin commands" $([ $rc = 0 ] && grep -q "from stdin" "$T/out" && grep -q "shots *64" "$T/out"; echo $?)

"$Q" --json -c 'echo x; show settings' > "$T/out" 2> "$T/err"; rc=$?
check "--json one object per line" $([ $rc = 0 ] && [ "$(wc -l < "$T/out")" = 2 ] &&
	head -1 "$T/out" | grep -qx '{"result":"echo","text":"x"}'; echo $?)
if command -v python3 > /dev/null; then
	check "--json parses" $(python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/out"; echo $?)
fi

"$Q" -c 'load synth 300; classes 3 5; quanv; model cnn; train epochs=2; save model '"$T/m.qcqm" > "$T/out" 2> "$T/err"; rc=$?
check "batch waits for training, then saves" $([ $rc = 0 ] && [ -s "$T/m.qcqm" ] && grep -q "^epoch   2" "$T/out"; echo $?)

finish
