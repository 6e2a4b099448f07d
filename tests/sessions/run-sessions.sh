#!/bin/sh
# tests/sessions/run-sessions.sh QCQLAB SOURCE_ROOT: runs every sessions/*.qcq headless
# with the built qcqlab — on the built-in digits where a session can use them, and on
# ../shared/data ($QCQ_SHARED_DATA) with reduced sizes when it is there — and checks the
# key lines of the output, that a second run of a study skips its finished runs, and
# that a session pointed at missing data says so. A session this script does not know
# fails the test: add its invocation below.
set -u
qcq=$1
root=$2
shared=${QCQ_SHARED_DATA:-$root/../shared/data}
[ -d "$shared" ] || shared=
tmp=$(mktemp -d /tmp/qcq-sessions.XXXXXX)
export QCQ_CACHE_DIR="$tmp/cache"
fails=0
log="$tmp/out.txt"

fail() {
	echo "FAIL $*"
	echo "---- output:"
	cat "$log"
	echo "----"
	fails=$((fails + 1))
}

# expect STATUS FILE [VAR=VALUE...] -- PATTERN...: run, check the exit status and that
# every PATTERN (grep -E) is in the output.
expect() {
	want=$1
	file=$2
	shift 2
	args=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		args="$args $1"
		shift
	done
	[ $# -gt 0 ] && shift
	# shellcheck disable=SC2086
	"$qcq" -x "$root/sessions/$file" $args >"$log" 2>&1
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$file$args: exit status $got, expected $want"
		return
	fi
	for pat in "$@"; do
		grep -Eq -- "$pat" "$log" || { fail "$file$args: no line matching '$pat'"; return; }
	done
	echo "ok   $file$args"
}

skip() {
	echo "skip $*"
}

for path in "$root"/sessions/*.qcq; do
	f=$(basename "$path")
	case "$f" in
	quickstart.qcq)
		expect 0 "$f" -- '^test: accuracy [01]\.[0-9]+' 'parameters: 5500 \(classical 5494, quantum 6\)'
		;;
	tour.qcq)
		expect 0 "$f" --
		;;
	trainable-filter.qcq)
		expect 0 "$f" -- 'trainable filter: 2x2 stride 2, 8 angles \(layer 0\)' \
			'parameters: 5506 \(classical 5494, quantum 4, filter 8\)' \
			"the workspace's filter is now the trained one" \
			'^filter: trained: random layers=2 seed=42' '^test: accuracy [01]\.[0-9]+' \
			'^<Z> = \[.*\] \(from the quanvolved features\)'
		;;
	mnist-3v5.qcq | fashion-tshirt-trouser.qcq | mri-tumour.qcq)
		mkdir -p "$tmp/$f"
		expect 1 "$f" data="$tmp/none" train=40 val=20 test=20 epochs=1 out="$tmp/$f" -- \
			"reading $tmp/none/.*missing\\?" "$tmp/none.*No such file or directory"
		if [ -n "$shared" ]; then
			expect 0 "$f" data="$shared" train=100 val=40 test=40 epochs=2 out="$tmp/$f" -- \
				'^split: train 100, val 40, test 40' '^test: accuracy [01]\.[0-9]+'
			[ -s "$tmp/$f/$(ls "$tmp/$f" | grep curves)" ] || fail "$f: no curves file"
		else
			skip "$f on ../shared/data (absent)"
		fi
		;;
	table1.qcq)
		expect 0 "$f" data="$tmp" datasets=synth size=0.02 seeds=2 epochs=2 out="$tmp/t1" -- \
			'^\| qcq-cnn +\| +[0-9.]+ ± [0-9.]+ \|' '10 runs, 0 found finished, 10 trained'
		expect 0 "$f" data="$tmp" datasets=synth size=0.02 seeds=2 epochs=2 out="$tmp/t1" -- \
			'10 runs, 10 found finished, 0 trained'
		[ -s "$tmp/t1/compare-synth.png" ] || fail "table1: no compare-synth.png"
		expect 1 "$f" data="$tmp/none" datasets=mnist size=0.02 seeds=1 epochs=1 out="$tmp/t1m" -- \
			"mnist: data missing: no folder $tmp/none/mnist"
		if [ -n "$shared" ]; then
			expect 0 "$f" data="$shared" datasets=mnist,fashion,mri size=0.02 seeds=1 epochs=1 \
				out="$tmp/t1r" -- '^\| model +\| mnist +\| fashion +\| mri +\|' \
				'^- mri: no_tumor vs glioma_tumor\+meningioma_tumor\+pituitary_tumor, train 12' \
				'15 runs, 0 found finished, 15 trained'
		else
			skip "$f on ../shared/data (absent)"
		fi
		;;
	multiclass.qcq)
		expect 0 "$f" data="$tmp" datasets=synth10 size=0.02 seeds=1 epochs=2 out="$tmp/mc" -- \
			'^- synth10: 10 classes, train 100, val 20, test 20' \
			'^\| qcq-cnn +\| +[0-9.]+ \(1 seed\) \|' '^\| majority class \(test set\) \| +10\.00 \|' \
			'5 runs, 0 found finished, 5 trained'
		expect 0 "$f" data="$tmp" datasets=synth10 size=0.02 seeds=1 epochs=2 out="$tmp/mc" -- \
			'5 runs, 5 found finished, 0 trained'
		expect 1 "$f" data="$tmp/none" datasets=mri4 seeds=1 out="$tmp/mcm" -- \
			"mri4: data missing: no folder $tmp/none/brain-mri"
		if [ -n "$shared" ]; then
			expect 0 "$f" data="$shared" size=0.02 seeds=1 epochs=1 out="$tmp/mcr" -- \
				'^\| model +\| mnist10 +\| mri4 +\|' '^- mri4: 4 classes' \
				'10 runs, 0 found finished, 10 trained'
		else
			skip "$f on ../shared/data (absent)"
		fi
		;;
	noise.qcq)
		expect 0 "$f" data="$tmp" dataset=synth size=0.02 seeds=1 epochs=1 out="$tmp/noise" -- \
			'^\| exact +\| 0 +\| 0 +\|' '^\| 1024 +\| 0.02 \| 0.03 \|' '7 runs, 0 found finished'
		[ -s "$tmp/noise/noise-shots128.png" ] || fail "noise: no noise-shots128.png"
		if [ -n "$shared" ]; then
			expect 0 "$f" data="$shared" dataset=mnist size=0.02 seeds=1 epochs=1 \
				out="$tmp/noise-r" -- '^- mnist: 3 vs 5' '7 runs, 0 found finished'
		else
			skip "$f on ../shared/data (absent)"
		fi
		;;
	depth.qcq)
		expect 0 "$f" data="$tmp" dataset=synth size=0.02 seeds=2 epochs=2 out="$tmp/depth" -- \
			'^\| synth +\| 3 +\| 8 +\|' '6 runs, 0 found finished'
		[ -s "$tmp/depth/depth-accuracy.png" ] || fail "depth: no depth-accuracy.png"
		if [ -n "$shared" ]; then
			expect 0 "$f" data="$shared" dataset=mnist size=0.02 seeds=1 epochs=1 \
				out="$tmp/depth-r" -- '^- mnist: 3 vs 5' '3 runs, 0 found finished'
		else
			skip "$f on ../shared/data (absent)"
		fi
		;;
	paper-table1.qcq | paper-depth.qcq | paper-noise.qcq)
		study=${f#paper-}
		study=${study%.qcq}
		expect 1 "$f" data="$tmp/none" seeds=1 epochs=1 out="$tmp/$f-none" -- \
			"mnist: data missing: no folder $tmp/none/mnist"
		if [ -z "$shared" ]; then
			skip "$f on ../shared/data (absent)"
			continue
		fi
		# reduced: 2 seeds, 2 epochs, a twentieth of the paper's sizes
		case "$study" in
		table1) kind=compare runs=30 row='^\| mri +\| qcq-cnn +\| +[0-9.]+ ± [0-9.]+ +\| 95\.18 ± 0\.65 \|' ;;
		depth) kind=depth runs=18 row='^\| mri +\| 2 +\| 6 +\|' ;;
		*) kind=noise runs=10 row='^\| 1024 +\| 0\.02 \| 0\.03 \|' ;;
		esac
		expect 0 "$f" data="$shared" seeds=2 epochs=2 size=0.05 out="$tmp/$f" -- \
			"the paper's protocol; where this study departs from it:" \
			'seeds: 2, the paper.s: 10 \(reduced run\)' 'majority class of the test set' \
			"$row" "$kind study: $runs runs, 0 found finished, $runs trained"
		;;
	paper-code.qcq)
		expect 1 "$f" data="$tmp/none" seed=1 epochs=1 -- \
			"reading $tmp/none/mnist" "$tmp/none.*No such file or directory"
		if [ -n "$shared" ]; then
			expect 0 "$f" data="$shared" seed=1 epochs=2 -- \
				'^split: train 100, val 0, test 30' 'frozen \(not trained\): layer 8' \
				'kept the weights of the last epoch \(2\)' '^test: accuracy [01]\.[0-9]+.*\(30 images\)'
		else
			skip "$f on ../shared/data (absent)"
		fi
		;;
	claim-check.qcq)
		expect 0 "$f" data="$tmp" datasets=synth size=0.05 seeds=3 search_seeds=2 epochs=2 \
			lrs=1e-3,1e-2 widths=4/8 batches=8 out="$tmp/cc" -- \
			'^\| quantum filter vs classical random filter \(qcq-cnn - rf-qcq-cnn\) +\| (helps|hurts|no detectable difference)' \
			'^\| synth +\| qcq-cnn-chead +\|' 'ablate study: 56 runs, 0 found finished, 56 trained'
		[ -s "$tmp/cc/comparisons.csv" ] || fail "claim-check: no comparisons.csv"
		expect 1 "$f" data="$tmp/none" datasets=mri seeds=2 out="$tmp/ccm" -- \
			"mri: data missing: no folder $tmp/none/brain-mri"
		;;
	trainable-filter-check.qcq)
		expect 0 "$f" data="$tmp" datasets=synth size=0.03 seeds=3 search_seeds=1 epochs=2 \
			lrs=1e-2 widths=4/8 batches=8 out="$tmp/tfc" -- \
			'^\| trainable vs fixed quantum filter \(qcq-cnn-tf - qcq-cnn\) +\| (helps|hurts|no detectable difference)' \
			'^\| trainable quantum filter vs classical random filter \(qcq-cnn-tf - rf-qcq-cnn\) +\| (helps|hurts|no detectable difference)' \
			'^\| synth +\| qcq-cnn-tf +\|' 'ablate study: 12 runs, 0 found finished, 12 trained'
		[ -s "$tmp/tfc/comparisons.csv" ] || fail "trainable-filter-check: no comparisons.csv"
		;;
	*)
		echo "FAIL $f: no CI invocation for this session; add one to tests/sessions/run-sessions.sh"
		fails=$((fails + 1))
		;;
	esac
done

if [ "$fails" -eq 0 ]; then
	rm -rf "$tmp"
	echo "all sessions passed"
	exit 0
fi
echo "$fails failures (files kept in $tmp)"
exit 1
