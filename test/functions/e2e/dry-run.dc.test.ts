/**
 * `hr2ad sync --dry-run` against the real Samba DC: the go-live link report. With one account already in
 * AD for a worker (found by its match key), one worker with no account and one account no worker
 * matches, the report says which account is adopted and by which key, which is created, and which is
 * left alone — and nothing is written to AD or to the state store.
 */
import { existsSync } from 'node:fs';
import type { Client } from 'ldapts';
import type { CliIo } from '../../../functions/cli/cli-io';
import { runCli } from '../../../functions/cli/program';
import { childDn } from '../../../shared/directory/dn';
import { acquireDc, rawClient, resetDc } from '../../harness/samba-dc';
import { accountOf, createOus, csvOf, officeOu, writeConfigDir, type ConfigDir, type Row } from './fixtures/e2e-env';

let release: (() => void) | undefined;
let client: Client;
let dir: ConfigDir;

const existing: Row = { id: 'E9001', first: 'Grace', last: 'Existing', location: 'London', start: '2020-01-06' };
const newcomer: Row = { id: 'E9002', first: 'Alan', last: 'Newcomer', location: 'Berlin', start: '2020-01-06' };
const graceDn = () => childDn('CN', 'Grace Existing', officeOu('London'));
const strayDn = () => childDn('CN', 'Stray Account', officeOu('Berlin'));

async function addUser(dn: string, sam: string, employeeId: string): Promise<void> {
  await client.add(dn, {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: sam,
    employeeID: employeeId,
  });
}

function capture(): { io: CliIo; out: () => string } {
  let out = '';
  const io: CliIo = {
    readFile: async () => '',
    readStdin: async () => '',
    stdout: (text) => {
      out += text;
    },
    stderr: () => {},
    now: new Date('2026-12-01T00:00:00Z'),
  };
  return { io, out: () => out };
}

beforeAll(async () => {
  release = await acquireDc();
  resetDc();
  client = await rawClient();
  await createOus(client);
  await addUser(graceDn(), 'gexisting', 'E9001');
  await addUser(strayDn(), 'stray', 'X-0001');
  dir = writeConfigDir({ csv: csvOf([existing, newcomer]) });
});

afterAll(async () => {
  await client?.unbind();
  dir?.remove();
  release?.();
});

describe('hr2ad sync --dry-run: the go-live link report', () => {
  it('names the adopted account with its match key, the account to create and the unmatched one; writes nothing', async () => {
    const { io, out } = capture();
    const code = await runCli(['sync', '--dry-run', '--config', dir.configFile, '--now', '2026-12-01T00:00:00Z'], io, {
      version: 'test',
    });
    const report = out();
    expect(code).toBe(0);
    expect(report).toContain('existing accounts that will be adopted: 1');
    expect(report).toContain(`hr:E9001 → ${graceDn()} (matched by employeeID=E9001)`);
    expect(report).toContain('accounts that will be created: 1\n    hr:E9002');
    expect(report).toContain(`accounts in the managed OUs that match no worker (left alone): 1\n    ${strayDn()}`);
    expect(await accountOf(client, 'E9002')).toBeUndefined();
    expect(existsSync(dir.dataDir)).toBe(false);
  });
});
