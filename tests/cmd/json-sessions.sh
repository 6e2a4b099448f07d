#!/bin/sh
# tests/cmd/json-sessions.sh QCQLAB SESSIONS_DIR CHECKER: every --json line of every
# session in sessions/ (small sizes; the built-in digits, or QCQ_SHARED_DATA's sets when
# given) is one JSON object (json-lines.py), errors included; plus strings that are not
# UTF-8 or hold control characters, a failing command, and expect under typed labels.
Q=$1 S=$2 CHECK=$3
command -v python3 > /dev/null || { echo "python3 not found: skipped"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
run() { # name, args...
	name=$1
	shift
	"$Q" --json "$@" > "$T/$name.json" 2> "$T/$name.err"
	if ! python3 "$CHECK" "$T/$name.json"; then
		echo "FAIL: $name"
		fail=1
	fi
	[ -s "$T/$name.json" ] || { echo "FAIL: $name wrote nothing"; fail=1; }
}
D=${QCQ_SHARED_DATA:-$T/none}
small="data=$T dataset=synth datasets=synth size=0.02 seeds=1 epochs=1"
for f in "$S"/*.qcq; do
	n=$(basename "$f" .qcq)
	case $n in
	depth | noise | table1) run "$n" -x "$f" $small out="$T/$n" ;;
	multiclass) run "$n" -x "$f" data="$T" datasets=synth10 size=0.02 seeds=1 epochs=1 out="$T/$n" ;;
	claim-check | trainable-filter-check) # the ablate study, its smallest grid
		run "$n" -x "$f" data="$T" datasets=synth size=0.02 seeds=2 search_seeds=1 epochs=1 \
			lrs=1e-3 widths=8/16 batches=4 out="$T/$n"
		grep -q '"result":"experiment","study":"ablate","status":"ok"' "$T/$n.json" ||
			{ echo "FAIL: $n: no ablate result object"; fail=1; } ;;
	mnist-3v5 | fashion-tshirt-trouser | mri-tumour)
		run "$n" -x "$f" data="$D" train=40 val=10 test=10 epochs=1 out="$T" ;;
	paper-code | tour) run "$n" -x "$f" data="$D" epochs=1 ;;
	*) run "$n" -x "$f" ;;
	esac
done
# strings a JSON line must escape or repair: control characters, a Latin-1 byte
printf 'echo "tab\there bell\007 del\177 latin1 \351t\351"\n' > "$T/odd.qcq"
run odd -x "$T/odd.qcq"
grep -q '"text":"tab\\u0009here bell\\u0007 del\\u007f latin1 \\ufffdt\\ufffd"' "$T/odd.json" ||
	{ echo "FAIL: odd strings: $(cat "$T/odd.json")"; fail=1; }
# a failing command is an object with an error field (and its usage)
run error -c 'echo a; set depth 99'
grep -q '^{"error":"-c:1: depth: 99 out of range \[1, 8\]","usage":"set ' "$T/error.json" ||
	{ echo "FAIL: error object: $(cat "$T/error.json")"; fail=1; }
# training prints no human line on stdout; expect reports under the labels typed
run train -c 'load synth 200; classes 3 5; quanv; model cnn; train epochs=1'
run expect -c 'circuit new 2; circuit gate h 0; circuit gate cx 0 1; run; expect X1Y0 Z0Z1 Z0Z1'
grep -q '"values":{"X1Y0":0,"Z0Z1":1[.0-9]*}' "$T/expect.json" ||
	{ echo "FAIL: expect labels: $(cat "$T/expect.json")"; fail=1; }
[ $fail = 0 ] && echo "all --json lines parse"
exit $fail
