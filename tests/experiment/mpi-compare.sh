#!/bin/sh
# tests/experiment/mpi-compare.sh MPIRUN QCQLAB: a small compare study under
# `mpirun -np 2` gives the same curves and test results as the same study run serially,
# rank 0 writes every run file, and a second MPI run skips them all.
set -u
mpirun=$1
qcq=$2
tmp=$(mktemp -d /tmp/qcq-mpi.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM # also after a failure
export QCQ_CACHE_DIR="$tmp/cache"
root=
[ "$(id -u)" = 0 ] && root=--allow-run-as-root
study='experiment compare datasets=synth models=mlp,cnn,qcq-cnn seeds=3 epochs=3 train=60 val=20 test=20'
fail() { echo "FAIL: $*"; cat "$tmp/log"; exit 1; }

"$qcq" -c "$study out=$tmp/serial" >"$tmp/log" 2>&1 || fail "serial run"
# jobs=2: two worker threads per rank send their runs (MPI_THREAD_SERIALIZED at least);
# timeout: a rank waiting forever for a message fails the test instead of hanging CI
timeout 240 "$mpirun" $root --oversubscribe -np 2 "$qcq" -c "$study jobs=2 out=$tmp/mpi" \
	>"$tmp/log" 2>&1 || fail "mpirun -np 2"
grep -q 'MPI_THREAD' "$tmp/log" && fail "thread level refused"
grep -q 'compare study (MPI): 9 runs, 0 found finished, 9 trained by all ranks' "$tmp/log" ||
	fail "rank 0 did not report 9 runs trained by all ranks"
grep -q 'rank 1 of 2 trained [1-9] runs and sent them to rank 0' "$tmp/log" ||
	fail "rank 1 trained nothing"
[ "$(ls "$tmp/mpi/runs" | wc -l)" -eq 9 ] || fail "rank 0 did not write 9 run files"
cmp -s "$tmp/serial/epochs.csv" "$tmp/mpi/epochs.csv" || fail "epochs.csv differs from serial"
cut -d, -f1-24 "$tmp/serial/runs.csv" >"$tmp/a"
cut -d, -f1-24 "$tmp/mpi/runs.csv" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "runs.csv differs from serial"
timeout 240 "$mpirun" $root --oversubscribe -np 2 "$qcq" -c "$study out=$tmp/mpi" \
	>"$tmp/log" 2>&1 || fail "second mpirun"
grep -q '9 runs, 9 found finished, 0 trained' "$tmp/log" || fail "second run did not skip"
echo "mpi: same results as serial, resume skips"
