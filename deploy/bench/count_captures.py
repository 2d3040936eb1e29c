#!/usr/bin/env python3
"""Counts, per X-Bench-Run tag, the complete request/response pairs the forwarder stored.

Reads the forwarder's SQLite store (DATA_DIR/captures.db) read-only. The tag is the value of the request's
X-Bench-Run header (any case: HTTP/2 sends it as x-bench-run), found in the stored Capture record (protobuf:
Header{name=1, value=2}). A row whose status
column is NULL has no response: it is counted as an error. Output: "TAG COUNT ERRORS" lines (bench.sh's verify
format).
"""
import collections
import re
import sqlite3
import sys

HEADER = re.compile(rb"\x0a\x0bX-Bench-Run\x12(.)", re.S | re.I)


def main(db_path):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    complete = collections.Counter()
    incomplete = collections.Counter()
    for status, record in db.execute("SELECT status, record FROM captures"):
        m = HEADER.search(record)
        if not m:
            continue
        length = m.group(1)[0]
        tag = record[m.end():m.end() + length].decode("ascii", "replace")
        if status is None:
            incomplete[tag] += 1
        else:
            complete[tag] += 1
    for tag in sorted(set(complete) | set(incomplete)):
        print(f"{tag} {complete[tag]} {incomplete[tag]}")


if __name__ == "__main__":
    main(sys.argv[1])
