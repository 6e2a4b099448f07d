#!/bin/sh
# tests/cmd/plan-file.sh QCQLAB: the matrix-product plan is kept per machine in the
# cache directory, so the same seeded study repeats bit for bit in another process;
# a plan file's choices are read back, bad lines are skipped, and two processes that
# start at once with no plan end with the same choices.
Q=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/check.sh"
choices() { # the implementation column of `summary kernels`, one per product
	QCQ_CACHE_DIR=$1 "$Q" -c 'model qcq-cnn' -c 'summary kernels' |
		sed -n 's/.*[0-9]x[0-9]*x[0-9]*t\{0,1\} \([a-z]*\) (us:.*/\1/p' | tr '\n' ' '
}

export QCQ_CACHE_DIR="$T/c1"
QCQ_CACHE_DIR=$T/c1 "$Q" -c 'model qcq-cnn' -c 'summary kernels' > "$T/k1" 2>&1
plan=$(ls "$T"/c1/gemm-plan-v3-*.txt 2>/dev/null | head -1)
check "the plan file is created in the cache" $([ -n "$plan" ]; echo $?)
check "summary kernels names it" $(grep -q "plan kept in $T/c1/gemm-plan-v3-" "$T/k1"; echo $?)
check "one line per product of qcq-cnn" $([ "$(grep -vc '^#' "$plan")" -ge 9 ]; echo $?)

# the file is read: every shape forced to the naive loops shows as loops
sed -i 's/^\([0-9]* [0-9]* [0-9]* [01]\) [012] /\1 0 /' "$plan"
printf '7 7 7 0 9 1 1 1\nnot a line\n3 3' >> "$plan" # bad impl, garbage, a cut line
c=$(choices "$T/c1")
check "the plan's choices are used ($c)" $(echo "$c" | grep -qvE 'kernel|sgemm' &&
	[ "$(echo "$c" | wc -w)" -ge 9 ]; echo $?)

# the same seeded study in three processes: identical curves
study='experiment compare datasets=synth models=cnn,qcq-cnn seeds=2 epochs=2 train=40 val=10 test=10'
for i in 1 2 3; do
	QCQ_CACHE_DIR=$T/c2 "$Q" -c "$study out=$T/s$i" > /dev/null 2>&1
done
check "three processes, same epochs.csv" $(cmp -s "$T/s1/epochs.csv" "$T/s2/epochs.csv" &&
	cmp -s "$T/s1/epochs.csv" "$T/s3/epochs.csv"; echo $?)

# two processes at once with no plan yet: flock makes the second read the first's
choices "$T/c3" > "$T/a" & choices "$T/c3" > "$T/b"; wait
check "simultaneous first runs choose alike" $([ -s "$T/a" ] && cmp -s "$T/a" "$T/b"; echo $?)
check "each shape is in the file once" $([ "$(grep -v '^#' "$T"/c3/gemm-plan-v3-*.txt |
	cut -d' ' -f1-4 | sort | uniq -d | wc -l)" = 0 ]; echo $?)

# no cache directory to keep it in: it still trains, and says so
out=$(env -u QCQ_CACHE_DIR -u XDG_CACHE_HOME -u HOME "$Q" -c 'model cnn' -c 'summary kernels' 2>&1)
check "without a cache the plan is per process, said" $(echo "$out" |
	grep -q 'plan timed for this process only'; echo $?)

finish
