/**
 * `hr2ad run` as a process: it starts, writes its lock (pid and API port), answers the HTTP API on
 * 127.0.0.1 with the token from its secret store, and on SIGTERM (and SIGINT) stops cleanly — exit 0,
 * lock removed. A second `run` on the same configuration is refused while the first runs (exit 5).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../../..');
const CLI = ['--import', 'tsx', '--disable-warning=ExperimentalWarning', join(REPO, 'functions/cli/hr2ad.ts')];

jest.setTimeout(60_000);

let dir: string;

function writeConfig(): string {
  dir = mkdtempSync(join(tmpdir(), 'hr2ad-run-'));
  writeFileSync(join(dir, 'password'), 'not used\n');
  writeFileSync(join(dir, 'workers.csv'), readFileSync(join(REPO, 'examples/sample/workers.csv')));
  const config = {
    version: 1,
    sources: [{ id: 'hr-file', kind: 'csv', path: 'workers.csv', source: 'hr', schedule: '0 0 0 1 1 *' }],
    mapping: { defaults: { domainDn: 'DC=corp,DC=example,DC=test', upnSuffix: 'corp.example.test' } },
    // Never reached: nothing is synced in this test.
    agent: {
      directory: {
        url: 'ldaps://127.0.0.1:1',
        bindDn: 'CN=x,DC=corp,DC=example,DC=test',
        bindPassword: { file: 'password' },
      },
      policy: { domainDn: 'DC=corp,DC=example,DC=test', allowedOus: ['OU=Users,DC=corp,DC=example,DC=test'] },
    },
    api: { port: 0 },
  };
  const file = join(dir, 'hr2ad.config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

async function until<T>(what: string, probe: () => T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['SIGTERM', 'SIGINT'] as const)('hr2ad run, stopped by %s', (signal) => {
  it('serves the API on 127.0.0.1 with its token, refuses a second run, and stops cleanly', async () => {
    const config = writeConfig();
    const child = spawn(process.execPath, [...CLI, 'run', '--config', config], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = exitOf(child);
    const lockFile = join(dir, '.hr2ad', 'run.lock');
    const lock = await until('the run lock', () =>
      existsSync(lockFile) ? (JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number; port: number }) : undefined,
    );
    expect(lock.pid).toBe(child.pid);

    const token = spawnSync(process.execPath, [...CLI, 'api-token', '--config', config], {
      encoding: 'utf8',
    }).stdout.trim();
    const health = await fetch(`http://127.0.0.1:${lock.port}/api/health`, { headers: { 'x-functions-key': token } });
    expect(health.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${lock.port}/api/health`)).status).toBe(401);

    const second = spawnSync(process.execPath, [...CLI, 'run', '--config', config], { encoding: 'utf8' });
    expect(second.status).toBe(5);

    child.kill(signal);
    expect(await exited).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  });
});
