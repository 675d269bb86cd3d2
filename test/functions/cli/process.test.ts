/**
 * The real hr2ad process: a reader that stops early (`| head`) ends the output quietly, `--version`
 * comes from package.json, and the exit code reaches the shell.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import packageJson from '../../../package.json';

const root = join(__dirname, '../../..');
const entry = join(root, 'functions/cli/hr2ad.ts');
const node = (args: string) => `"${process.execPath}" --import tsx "${entry}" ${args}`;

jest.setTimeout(60_000);

describe('hr2ad process', () => {
  it.each([
    ['text', ''],
    ['JSON', '--json'],
  ])('%s piped into head ends quietly: no EPIPE, exit 0', (_name, flag) => {
    // 400 workers give a report far larger than head reads and than a pipe holds.
    const script = `
      set -o pipefail
      node -e 'const r=require("./examples/worker.json");console.log(JSON.stringify(Array.from({length:400},(_, i)=>({...r,id:String(5000+i)}))))' > "$TMPDIR_/snap.json"
      ${node(`preview --snapshot "$TMPDIR_/snap.json" --now 2026-01-01T00:00:00Z ${flag}`)} 2>"$TMPDIR_/err" | head -n 2 >/dev/null
      echo "status=$?"
      cat "$TMPDIR_/err"`;
    const tmp = execFileSync('mktemp', ['-d']).toString().trim();
    const result = spawnSync('bash', ['-c', script], {
      cwd: root,
      env: { ...process.env, TMPDIR_: tmp, PATH: `${join(process.execPath, '..')}:${process.env.PATH}` },
    });
    const out = result.stdout.toString();
    expect(out).toMatch(/^status=0\n/);
    expect(out).not.toMatch(/EPIPE|Error|at /);
    spawnSync('rm', ['-rf', tmp]);
  });

  it('prints the version from package.json', () => {
    const result = spawnSync('bash', ['-c', node('--version')], { cwd: root });
    expect(result.stdout.toString()).toBe(`${packageJson.version}\n`);
    expect(result.status).toBe(0);
  });

  it('passes the exit code to the shell', () => {
    const result = spawnSync('bash', ['-c', node('preview --snapshot examples/hr-snapshot.json')], { cwd: root });
    expect(result.status).toBe(3);
    expect(result.stderr.toString()).toBe('hr2ad preview: 1 record(s) quarantined (exit 3)\n');
  });
});
