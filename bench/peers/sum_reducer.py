#!/usr/bin/env python3
"""Reference phase-2 reducer in Python (benchmark peer, not shipped).

stdin: source<TAB>target<TAB>count lines grouped by source<TAB>target (sorted).
stdout: source<TAB>target<TAB>sum per pair. Bad lines are skipped.
"""
import sys


def main():
    write = sys.stdout.buffer.write
    key = None
    total = 0
    for line in sys.stdin.buffer:
        head, sep, count = line.rstrip(b"\r\n").rpartition(b"\t")
        if not sep or not count.isdigit() or head.count(b"\t") != 1:
            continue
        if head == key:
            total += int(count)
            continue
        if key is not None:
            write(b"%s\t%d\n" % (key, total))
        key = head
        total = int(count)
    if key is not None:
        write(b"%s\t%d\n" % (key, total))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
