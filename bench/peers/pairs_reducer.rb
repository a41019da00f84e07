#!/usr/bin/env ruby
# frozen_string_literal: true

# Reference phase-1 reducer in Ruby (benchmark peer, not shipped).
# stdin: path_id<TAB>product_id lines grouped by path_id (sorted).
# stdout: source<TAB>target<TAB>1 for every ordered pair of distinct products of
# a path (a product counts once per path; paths with more than 1000 distinct
# products are skipped). Bad lines are skipped. Ids stay binary strings.

MAX_PRODUCTS = 1000

def emit(products, out)
  return if products.size > MAX_PRODUCTS

  products.each do |a|
    buf = +''
    products.each do |b|
      next if a == b

      buf << a << "\t" << b << "\t1\n"
    end
    out.write(buf)
  end
end

def main
  $stdin.binmode
  out = $stdout
  out.binmode
  out.sync = false
  current = nil
  products = {}
  $stdin.each_line do |line|
    line = line.chomp
    fields = line.split("\t", -1)
    next unless fields.size == 2

    path, product = fields
    next if path.empty? || product.empty? || path == 'NULL' || product == 'NULL'

    if path != current
      emit(products.keys, out) unless products.empty?
      current = path
      products = {}
    end
    products[product] = true
  end
  emit(products.keys, out) unless products.empty?
  out.flush
end

main
