#!/usr/bin/env python3
"""tests/cmd/json-lines.py FILE...: every line of each FILE (qcqlab --json stdout) is
valid UTF-8 and one JSON object without duplicate keys, with a "result" or an "error"
field. Prints the first offending line and exits 1."""
import json
import sys


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError("duplicate keys %s" % sorted(dup))
    return dict(pairs)


bad = 0
for path in sys.argv[1:]:
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        print("%s: not UTF-8: %s" % (path, e))
        bad += 1
        continue
    for n, line in enumerate(text.splitlines(), 1):
        try:
            obj = json.loads(line, object_pairs_hook=no_duplicates)
            if not isinstance(obj, dict) or not ("result" in obj or "error" in obj):
                raise ValueError("not an object with result or error")
        except ValueError as e:
            print("%s:%d: %s: %s" % (path, n, e, line[:200]))
            bad += 1
            break
sys.exit(1 if bad else 0)
