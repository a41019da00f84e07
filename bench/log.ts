// The bench's messages on stderr.

/** Stops the bench with a usage or setup error (exit 2). */
export function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

export function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}
