#!/usr/bin/env ruby
# frozen_string_literal: true

# Reference phase-2 reducer in Ruby (benchmark peer, not shipped).
# stdin: source<TAB>target<TAB>count lines grouped by source<TAB>target (sorted).
# stdout: source<TAB>target<TAB>sum per pair. Bad lines are skipped.

def main
  $stdin.binmode
  out = $stdout
  out.binmode
  out.sync = false
  key = nil
  total = 0
  $stdin.each_line do |line|
    line = line.chomp
    cut = line.rindex("\t")
    next if cut.nil?

    head = line[0, cut]
    count = line[cut + 1..]
    next unless count.match?(/\A\d+\z/) && head.count("\t") == 1

    if head == key
      total += count.to_i
      next
    end
    out.write(key, "\t", total.to_s, "\n") unless key.nil?
    key = head
    total = count.to_i
  end
  out.write(key, "\t", total.to_s, "\n") unless key.nil?
  out.flush
end

main
