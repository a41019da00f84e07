/**
 * emr/bootstrap-node.sh's logic, in a sandbox: PATH holds only `ln`, `chmod` and
 * stand-ins for Amazon Linux's dnf/alternatives/sudo (no AL2023 node here), and
 * NODE_BIN_DIR is a temporary /usr/bin. The stand-ins behave as on AL2023:
 * `dnf install nodejs20` creates node-20; `alternatives --set` points `node` at it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tmpDir } from './helpers/exec';

describe('emr/bootstrap-node.sh (sandboxed dnf and alternatives)', () => {
  const script = path.join(ROOT, 'emr/bootstrap-node.sh');
  const bash = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();

  function sandbox(opts: { alternatives: boolean; dnfFails?: boolean; version?: string; preinstalled?: string }) {
    const dir = tmpDir('vp-bootstrap-');
    const fake = path.join(dir, 'fakebin');
    const bin = path.join(dir, 'usr-bin');
    const calls = path.join(dir, 'calls');
    fs.mkdirSync(fake);
    fs.mkdirSync(bin);
    for (const tool of ['ln', 'chmod']) {
      const where = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      fs.symlinkSync(where, path.join(fake, tool));
    }
    const write = (file: string, body: string) => fs.writeFileSync(file, `#!${bash}\n${body}\n`, { mode: 0o755 });
    const nodeScript = (v: string) => `echo ${v}`;
    write(path.join(fake, 'sudo'), `[ "$1" = -n ] && shift; exec "$@"`);
    write(
      path.join(fake, 'dnf'),
      `echo "dnf $*" >> '${calls}'\n` +
        (opts.dnfFails === true
          ? 'echo "Error: Unable to find a match: nodejs20" >&2; exit 1'
          : `printf '#!${bash}\\n${nodeScript(opts.version ?? 'v20.11.1')}\\n' > '${bin}/node-20'; chmod +x '${bin}/node-20'`),
    );
    if (opts.alternatives) {
      write(
        path.join(fake, 'alternatives'),
        `echo "alternatives $*" >> '${calls}'\n` +
          `case $1 in --display) exit 0 ;; --set) ln -sfn "$3" '${bin}/node' ;; *) exit 2 ;; esac`,
      );
    }
    if (opts.preinstalled !== undefined) write(path.join(bin, 'node'), nodeScript(opts.preinstalled));
    const r = spawnSync(bash, [script], {
      env: { PATH: `${fake}:${bin}`, NODE_BIN_DIR: bin },
      encoding: 'utf8',
    });
    const log = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8') : '';
    const link = fs.existsSync(path.join(bin, 'node')) ? fs.realpathSync(path.join(bin, 'node')) : '';
    fs.rmSync(dir, { recursive: true, force: true });
    return { code: r.status, stderr: r.stderr, calls: log, link: link.replace(dir, '') };
  }

  test('installs nodejs20 and links node to node-20 when alternatives has no entry', () => {
    const r = sandbox({ alternatives: false });
    expect(r.stderr).toMatch(/ok: .*\/node v20\.11\.1/);
    expect(r.code).toBe(0);
    expect(r.calls).toBe('dnf install -y -q nodejs20\n');
    expect(r.link).toBe('/usr-bin/node-20');
  });

  test('uses alternatives --set node /usr/bin/node-20 where AL2023 manages node with it', () => {
    const r = sandbox({ alternatives: true });
    expect(r.code).toBe(0);
    expect(r.calls).toMatch(/^dnf install -y -q nodejs20\nalternatives --display node\nalternatives --set node \S+\/usr-bin\/node-20\n$/);
    expect(r.link).toBe('/usr-bin/node-20');
  });

  test('leaves a node >= 18 alone', () => {
    const r = sandbox({ alternatives: true, preinstalled: 'v18.19.0' });
    expect(r.code).toBe(0);
    expect(r.calls).toBe('');
    expect(r.stderr).toMatch(/v18\.19\.0 already installed/);
  });

  test('fails loudly when dnf fails', () => {
    const r = sandbox({ alternatives: true, dnfFails: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ERROR: dnf install nodejs20 failed/);
  });

  test('fails loudly when the node it ends up with is older than 18', () => {
    const r = sandbox({ alternatives: false, version: 'v16.20.2' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ERROR: node v16\.20\.2 is older than the 18 the job needs/);
  });
});
