#!/bin/sh
# tests/fuzz/run-fuzz.sh FUZZER CORPUS [MAX_LEN [RUNS]]: replay the corpus, then fuzz a fixed budget from a
# fixed seed. New inputs go to a temporary folder, never into the source tree.
fuzzer=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
corpus=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch" || exit 1 # crash-* files land here and are printed by libFuzzer
"$fuzzer" -seed=1 -runs="${4:-100000}" -max_len="${3:-4096}" "$scratch" "$corpus"
