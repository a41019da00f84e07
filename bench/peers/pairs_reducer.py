#!/usr/bin/env python3
"""Reference phase-1 reducer in Python (benchmark peer, not shipped).

stdin: path_id<TAB>product_id lines grouped by path_id (sorted).
stdout: source<TAB>target<TAB>1 for every ordered pair of distinct products of
a path (a product counts once per path; paths with more than 1000 distinct
products are skipped). Bad lines are skipped. Ids stay bytes.
"""
import sys

MAX_PRODUCTS = 1000


def emit(products, write):
    if len(products) > MAX_PRODUCTS:
        return
    for a in products:
        prefix = a + b"\t"
        write(b"".join([prefix + b + b"\t1\n" for b in products if b != a]))


def main():
    write = sys.stdout.buffer.write
    current = None
    products = {}  # dict keeps first-seen order and dedupes
    for line in sys.stdin.buffer:
        line = line.rstrip(b"\n")
        if line.endswith(b"\r"):
            line = line[:-1]
        fields = line.split(b"\t")
        if len(fields) != 2:
            continue
        path, product = fields
        if not path or not product or path == b"NULL" or product == b"NULL":
            continue
        if path != current:
            if products:
                emit(products, write)
            current = path
            products = {}
        products[product] = None
    if products:
        emit(products, write)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
