/**
 * One way for tests to need a tool: given why it cannot run here (null when
 * it can), a suite or test runs; skips, printing the reason; or, under
 * CI=true, fails naming the reason, since CI must run every test.
 */
import * as path from 'node:path';

export const CI = process.env.CI === 'true';

function fileName(): string {
  return path.basename(expect.getState().testPath ?? 'this file');
}

function ciError(title: string, missing: string): Error {
  return new Error(`CI=true, so ${fileName()} (${title}) must run, but: ${missing}`);
}

function announceSkip(title: string, missing: string): void {
  // Straight to stderr: jest drops the console output of a suite whose tests all skip.
  process.stderr.write(`SKIPPED ${fileName()} (${title}): ${missing}\n`);
}

/** describe(TITLE, BODY) when MISSING is null; else skipped with the reason, or failing under CI. */
export function describeIf(missing: string | null, title: string, body: () => void): void {
  if (missing === null) {
    describe(title, body);
  } else if (CI) {
    describe(title, () => {
      beforeAll(() => {
        throw ciError(title, missing);
      });
      body();
    });
  } else {
    announceSkip(title, missing);
    describe.skip(`${title} (skipped: ${missing})`, body);
  }
}

/** test(NAME, FN) when MISSING is null; else skipped with the reason, or failing under CI. */
export function testIf(missing: string | null, name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  if (missing === null) {
    test(name, fn, timeout);
  } else if (CI) {
    test(name, () => {
      throw ciError(name, missing);
    });
  } else {
    announceSkip(name, missing);
    test.skip(`${name} (skipped: ${missing})`, () => undefined);
  }
}
