# tests/cmd/check.sh: sourced by the shell tests of tests/cmd. check NAME RESULT counts a
# check (RESULT 0 = it held) and names a failure; finish prints the suite's line
# "N passed, N failed" (what tools/dev counts) and exits non-zero when one failed.
pass=0 fail=0
check() { # name, condition-result
	if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
}
