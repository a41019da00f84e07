#!/usr/bin/env python3
"""The whole job as an mrjob job (benchmark peer, not shipped).

Run with mrjob's local runner (the bench does this):
    python3 mrjob_viewed_products.py -r local --no-conf --output-dir OUT VIEWS.tsv
Input: path_id<TAB>product_id lines. Output part files hold
source<TAB>target<TAB>count per ordered pair of distinct products, count =
number of distinct paths holding both (paths with more than 1000 distinct
products are skipped, bad lines and the header are skipped), as in run-job.sh.
Step 1 emits weight-1 pairs per path (the original design); step 2 sums them,
with the same summing function as combiner (the idiomatic mrjob way).
"""
from mrjob.job import MRJob
from mrjob.step import MRStep

MAX_PRODUCTS = 1000


class PairCountProtocol:
    """Writes ((source, target), count) as source<TAB>target<TAB>count."""

    def read(self, line):
        source, target, count = line.decode("utf-8", "surrogateescape").split("\t")
        return (source, target), int(count)

    def write(self, key, value):
        return ("%s\t%s\t%d" % (key[0], key[1], value)).encode("utf-8", "surrogateescape")


class ViewedProducts(MRJob):
    OUTPUT_PROTOCOL = PairCountProtocol

    def steps(self):
        return [
            MRStep(mapper=self.map_views, reducer=self.reduce_path),
            MRStep(combiner=self.sum_counts, reducer=self.sum_counts),
        ]

    def map_views(self, _, line):
        fields = line.rstrip("\r").split("\t")
        if len(fields) != 2:
            return
        path, product = fields
        if not path or not product or path == "NULL" or product == "NULL":
            return
        if path == "path_id" and product == "product_id":
            return
        yield path, product

    def reduce_path(self, path, products):
        distinct = list(dict.fromkeys(products))
        if len(distinct) > MAX_PRODUCTS:
            return
        for a in distinct:
            for b in distinct:
                if a != b:
                    yield (a, b), 1

    def sum_counts(self, pair, counts):
        yield pair, sum(counts)


if __name__ == "__main__":
    ViewedProducts.run()
