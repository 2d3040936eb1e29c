#!/usr/bin/env python3
"""Counts, per X-Bench-Run tag, the complete request/response pairs the forwarder stored.

Reads the forwarder's SQLite store (DATA_DIR/captures.db) read-only. The tag is the value of the request's
X-Bench-Run header (any case: HTTP/2 sends it as x-bench-run), found in the stored Capture record (protobuf:
Header{name=1, value=2}). A row whose status
column is NULL has no response: it is counted as an error. Output: "TAG COUNT ERRORS" lines (bench.sh's verify
format). A record of 8 KiB or more is in a segment file beside the database (schema 3: body_seg, body_off,
body_len; DATA_DIR/bodies-NNNNNNNN.seg); older stores have every record in its row.
"""
import collections
import os
import re
import sqlite3
import sys

HEADER = re.compile(rb"\x0a\x0bX-Bench-Run\x12(.)", re.S | re.I)


def rows(db, data_dir):
    columns = {row[1] for row in db.execute("PRAGMA table_info(captures)")}
    if "body_seg" not in columns:
        yield from db.execute("SELECT status, record FROM captures")
        return
    segments = {}
    for status, record, seg, off, length in db.execute(
            "SELECT status, record, body_seg, body_off, body_len FROM captures"):
        if seg is not None:
            if seg not in segments:
                segments[seg] = open(os.path.join(data_dir, f"bodies-{seg:08d}.seg"), "rb")
            segments[seg].seek(off)
            record = segments[seg].read(length)
        yield status, record
    for f in segments.values():
        f.close()


def main(db_path):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    complete = collections.Counter()
    incomplete = collections.Counter()
    for status, record in rows(db, os.path.dirname(os.path.abspath(db_path))):
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
