/**
 * The docs' tested command blocks: a fenced block right after a line
 * `<!-- tested: NAME -->` (docs/testing.md, "Docs tested as written"), read
 * from the Markdown as a reader copies it (the list item's indent removed),
 * and the only edits a test may make: paths and ports, each of which must occur.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './exec';

const MARKER = /^( *)<!-- tested: ([a-z0-9-]+) -->$/;
const FENCE = /^( *)```[a-z]*$/;

/** NAME -> the block's text (lines dedented, trailing newline), for every marked block of FILE (relative to the root). */
export function docBlocks(file: string): Map<string, string> {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const blocks = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]);
    if (m === null) continue;
    const name = m[2];
    const open = FENCE.exec(lines[i + 1] ?? '');
    if (open === null) throw new Error(`${file}:${i + 1}: marker "${name}" is not followed by a fenced block`);
    if (blocks.has(name)) throw new Error(`${file}:${i + 1}: marker "${name}" used twice`);
    const indent = open[1];
    const body: string[] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j] !== `${indent}\`\`\``; j++) {
      if (lines[j] !== '' && !lines[j].startsWith(indent)) throw new Error(`${file}:${j + 1}: block "${name}" leaves its indent`);
      body.push(lines[j].slice(indent.length));
    }
    if (j === lines.length) throw new Error(`${file}:${i + 2}: block "${name}" is not closed`);
    blocks.set(name, `${body.join('\n')}\n`);
    i = j;
  }
  return blocks;
}

/** Absolute paths of the host that a substitution must have replaced: a block that still names one would touch the machine. */
const HOST_PATH = /(^|[\s='"])\/(etc|var|opt|root|run|srv|home)\//m;

/** The paths and ports a docs test replaces, and which of them the blocks used (each must be: else the doc drifted). */
export class Substitutions {
  private readonly used = new Set<string>();

  constructor(private readonly subs: Record<string, string>) {}

  /** TEXT with each key replaced by its value (longest key first); throws when a host path is left. */
  apply(text: string, what: string): string {
    let out = text;
    for (const key of Object.keys(this.subs).sort((a, b) => b.length - a.length)) {
      if (!out.includes(key)) continue;
      this.used.add(key);
      out = out.split(key).join(this.subs[key]);
    }
    const left = HOST_PATH.exec(out);
    if (left !== null) throw new Error(`${what}: names a host path the test does not substitute: ${out.slice(left.index, left.index + 60)}`);
    return out;
  }

  /** The keys no block held. */
  unused(): string[] {
    return Object.keys(this.subs).filter((k) => !this.used.has(k));
  }
}
