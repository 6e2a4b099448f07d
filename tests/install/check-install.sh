#!/bin/sh
# tests/install/check-install.sh BUILD_ROOT SOURCE_ROOT: `meson install` into a DESTDIR,
# then use the installed tree as a user would, from a folder without the sources: the
# binary, `tour` and a session file found under share/qcqlab/sessions, the man page, the
# bash completion, and no path of the build machine in the binary's constant data.
set -u
build=$1
src=$2
tmp=$(mktemp -d /tmp/qcq-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

if ! meson install -C "$build" --no-rebuild --destdir "$tmp/root" >"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log"
	echo "FAIL meson install"
	exit 1
fi
bin=$(find "$tmp/root" -path '*/bin/qcqlab' -type f | head -n 1)
[ -n "$bin" ] && [ -x "$bin" ] && ok "installed binary $bin" || { fail "no bin/qcqlab installed"; exit 1; }
prefix=$(dirname "$(dirname "$bin")")
for f in share/qcqlab/sessions/tour.qcq share/qcqlab/sessions/quickstart.qcq \
	share/man/man1/qcqlab.1 share/bash-completion/completions/qcqlab; do
	[ -f "$prefix/$f" ] && ok "installed $f" || fail "missing $prefix/$f"
done

# no build-machine path among the binary's strings (debug info aside)
objcopy -O binary -j .rodata "$bin" "$tmp/rodata" 2>/dev/null
if [ -s "$tmp/rodata" ]; then
	if grep -aqF "$src" "$tmp/rodata"; then
		fail "the binary's constant data holds the source path $src"
	else
		ok "no source path in the binary"
	fi
fi

# run from an empty folder, with no QCQ_SESSIONS and no data anywhere
mkdir -p "$tmp/home" "$tmp/cwd"
cd "$tmp/cwd" || exit 1
run() { env -u QCQ_SESSIONS -u QCQ_DATA HOME="$tmp/home" XDG_DATA_HOME= XDG_CACHE_HOME= \
	XDG_STATE_HOME= "$bin" "$@" >"$tmp/out" 2>&1; }
if run -c tour && grep -q '^== Done\.' "$tmp/out"; then
	ok "tour runs from the installed sessions"
else
	fail "tour from the installed tree:"; cat "$tmp/out"
fi
if run -x "$prefix/share/qcqlab/sessions/quickstart.qcq" && grep -Eq '^test: accuracy [01]\.[0-9]+' "$tmp/out"; then
	ok "an installed session file runs"
else
	fail "quickstart.qcq from the installed tree:"; cat "$tmp/out"
fi
if run -c 'load mnist'; then
	fail "load mnist found data in an empty home"
elif grep -q "no mnist files in $tmp/home/.local/share/qcqlab/mnist, data/mnist" "$tmp/out"; then
	ok "load mnist says where it looked"
else
	fail "load mnist without data:"; cat "$tmp/out"
fi

# the man page renders; the completion offers command names from the binary itself
if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$prefix/share/man/man1/qcqlab.1" 2>"$tmp/groff" && [ ! -s "$tmp/groff" ] &&
		ok "man page renders without warnings" || { fail "man page:"; cat "$tmp/groff"; }
fi
if command -v bash >/dev/null 2>&1; then
	got=$(PATH="$(dirname "$bin"):$PATH" bash -c '. "$1"; COMP_WORDS=(qcqlab -c tra); COMP_CWORD=2;
		_qcqlab; echo "${COMPREPLY[*]}"; COMP_WORDS=(qcqlab --js); COMP_CWORD=1; _qcqlab;
		echo "${COMPREPLY[*]}"' sh "$prefix/share/bash-completion/completions/qcqlab")
	[ "$got" = "$(printf 'train\n--json')" ] && ok "bash completion" || fail "bash completion gave: $got"
fi

echo "$fails failed"
[ $fails -eq 0 ]
