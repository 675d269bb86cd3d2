/**
 * `hr2ad token issue` through runCli over a temp configuration: it prints one line, a token the local
 * runtime's authorizer accepts (subject and lifetime as asked, the same key on the next issue); a bad
 * --days is a usage error (2); an `oidc` configuration is refused (1) with where its tokens come from;
 * --help lists the options and exit codes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { ingestAuthSettings } from '../../../functions/config/ingest-auth-settings';
import { ingestAuthorizerFor } from '../../../functions/adapters/ingest-auth/ingest-authorizer-for';
import type { CliIo } from '../../../functions/cli/cli-io';
import { issueLocalToken } from '../../../functions/cli/token-command';
import { loadControlPlaneConfig } from '../../../functions/config/load-config';
import { localDataFiles, openSecrets } from '../../../functions/local-host/local-control-plane';
import { MemorySecretStore } from '../../harness/memory-secret-store';
import { runLocalCli, writeLocalConfig, type LocalConfig } from './fixtures/local-config';

let local: LocalConfig;
let config: string;

function capturingIo() {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    readFile: (path) => readFile(path, 'utf8'),
    readStdin: async () => '',
    stdout: (text) => {
      out.stdout += text;
    },
    stderr: (text) => {
      out.stderr += text;
    },
    now: new Date(),
  };
  return { io, out };
}

const hr2ad = (...argv: string[]) => runLocalCli(argv);

beforeEach(() => {
  local = writeLocalConfig('token');
  config = local.config;
});
afterEach(() => local.remove());

describe('hr2ad token issue', () => {
  it('prints one token, which the local runtime accepts, for the subject and days asked', async () => {
    const run = await hr2ad('token', 'issue', '--config', config, '--subject', 'payroll-export', '--days', '7');
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = run.stdout.trim();

    const payload = jwt.decode(token) as { exp: number; iat: number };
    expect(payload.exp - payload.iat).toBe(7 * 86_400);
    const secrets = await openSecrets(localDataFiles(loadControlPlaneConfig(config)));
    const authorizer = ingestAuthorizerFor(ingestAuthSettings.parse({ kind: 'local' }), secrets);
    expect(await authorizer.authorize(`Bearer ${token}`)).toEqual({
      ok: true,
      principal: { subject: 'payroll-export', clientId: null, roles: ['Ingest.Upload'] },
    });
  });

  it('defaults to 30 days and the hr2ad-ingest subject, signing with the same key each time', async () => {
    const first = jwt.decode((await hr2ad('token', 'issue', '--config', config)).stdout.trim(), { complete: true });
    const second = jwt.decode((await hr2ad('token', 'issue', '--config', config)).stdout.trim(), { complete: true });
    const payload = first?.payload as { sub: string; exp: number; iat: number };
    expect(payload.sub).toBe('hr2ad-ingest');
    expect(payload.exp - payload.iat).toBe(30 * 86_400);
    expect(second?.header.kid).toBe(first?.header.kid);
  });

  it.each(['0', '366', 'seven'])('refuses --days %s as a usage error', async (days) => {
    const run = await hr2ad('token', 'issue', '--config', config, '--days', days);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('expected whole days, 1-365');
  });

  it('reports a configuration it cannot read (exit 1)', async () => {
    const run = await hr2ad('token', 'issue', '--config', join(local.dir, 'missing.json'));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
  });

  it('refuses when ingest.auth is an OpenID issuer, saying where tokens come from', async () => {
    const { io, out } = capturingIo();
    const store = new MemorySecretStore();
    const issuer = 'https://login.microsoftonline.com/72f988bf-0000-4000-8000-000000000000/v2.0';
    const oidc = ingestAuthSettings.parse({ kind: 'oidc', issuer, audience: 'api://hr2ad' });
    const code = await issueLocalToken(oidc, async () => store, { subject: 's', days: 1 }, io);
    expect(code).toBe(1);
    expect(out).toEqual({
      stdout: '',
      stderr: `hr2ad: ingest.auth is "oidc": tokens come from ${issuer}, not from hr2ad (hr2ad token issue serves ingest.auth kind "local" only)\n`,
    });
    expect(await store.list()).toEqual([]);
  });

  it('--help lists its options and the exit codes', async () => {
    const run = await hr2ad('token', 'issue', '--help');
    expect(run.code).toBe(0);
    for (const text of ['--config <file>', '--subject <name>', '--days <n>', 'Authorization: Bearer', 'Exit codes:'])
      expect(run.stdout).toContain(text);
  });
});
