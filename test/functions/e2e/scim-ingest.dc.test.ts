/**
 * Records pushed to the control plane end to end, in local mode on the real Samba DC: SCIM bulk requests
 * as Entra's API-driven inbound provisioning takes them (Microsoft's documented samples), CSV uploads and
 * signed webhooks, each planned at once by an ingest cycle and read back from AD. Every semantic an
 * administrator relies on is a scenario:
 *
 * | scenario | expected |
 * |---|---|
 * | Microsoft's custom-attribute sample (core + enterprise + contoso extension) | both joiners created; extension attributes in mapped AD attributes; a manager in the same request linked |
 * | Microsoft's core+enterprise sample file | refused whole: it repeats a bulkId |
 * | the same sample with distinct bulkIds | the malformed operations fail alone (invalidValue, attribute named); the good one is created |
 * | `active` omitted, `activeOmitted: keep` | the account stays enabled |
 * | `active` omitted, `activeOmitted: disable` | the account is disabled |
 * | `active: false` | the account is disabled and moved to the disabled OU |
 * | a manager that arrives in a later request | linked once the manager's account exists |
 * | the same request twice | the second is planned as no-op and changes nothing in AD |
 * | over the operation limit / the byte limit / a repeated bulkId / not scim+json | 413 tooMany / 413 / 400 / 415, nothing stored |
 * | no, expired, unsigned, wrong-audience token / token without the ingest role | 401 with a challenge / 403 |
 * | a CSV upload with one bad row | the good rows applied, the bad row failed naming its column |
 * | SCIM posts and a poll of one source at once | applied in arrival order: the last change wins |
 * | a signed webhook | the named worker is read from the source now and its change reaches AD |
 * | a forged, stale or replayed webhook | 401, nothing read |
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signWebhook } from '../../../functions/ingest/webhook-signature';
import { acquireDc, resetDc } from '../../harness/samba-dc';
import {
  accountsWhere,
  csvOf,
  disabledOu,
  E2e,
  officeOu,
  parentOf,
  REPO,
  sameDn,
  SOURCE_ID,
  type Row,
} from './fixtures/e2e-env';
import {
  bulkRequest,
  ingestToken,
  postBulk,
  push,
  requestStatus,
  scimUser,
  setWebhookSecret,
  STRICT_SCIM_SOURCE_ID,
  uploadCsv,
  withIngestSources,
  withScimAttributes,
  type RequestStatus,
} from './fixtures/ingest-env';

/** The parts of a provisioning log entry the tests read. */
interface LogEntry {
  readonly sourceIdentity: { readonly id: string };
  readonly targetIdentity: { readonly id: string | null };
  readonly provisioningSteps: readonly { readonly name: string }[];
}

let release: (() => void) | undefined;
let env: E2e;
let token: string;

const NOW = '2026-12-01T18:00:00Z';
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(REPO, 'test/fixtures/scim', name), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  release = await acquireDc();
  resetDc();
  env = await E2e.open({
    now: NOW,
    csv: csvOf([{ id: 'F100', first: 'Frances', last: 'Allen', location: 'Berlin', start: '2020-01-06' }]),
    mapping: withScimAttributes,
    configure: withIngestSources,
  });
  token = await ingestToken(env);
}, 120_000);
afterAll(async () => {
  await env?.close();
  release?.();
});

/** Posts, expects 202, waits until nothing is runnable, and returns the request's status. */
async function accepted(request: unknown, sourceId?: string): Promise<RequestStatus> {
  const res = await postBulk<{ Operations: { status: string }[] }>(env, token, request, sourceId);
  expect(res.status).toBe(202);
  await env.plane.whenIdle();
  return requestStatus(env, token, res.headers.get('location')!);
}

async function ldapAttributes(employeeId: string, attributes: string[]): Promise<Record<string, string | undefined>> {
  const { searchEntries } = await env.ldap.search(env.loaded.config.agent.policy.domainDn, {
    scope: 'sub',
    filter: `(&(objectClass=user)(employeeID=${employeeId}))`,
    attributes,
  });
  expect(searchEntries).toHaveLength(1);
  return Object.fromEntries(attributes.map((a) => [a, searchEntries[0]![a] as string | undefined]));
}

describe("Microsoft's documented BulkRequests", () => {
  it('the custom-attribute sample: both joiners created, extension attributes mapped, the manager linked', async () => {
    const res = await postBulk<{ schemas: string[]; Operations: { bulkId: string; status: string }[] }>(
      env,
      token,
      fixture('bulk-request-with-custom-attributes.json'),
    );
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toMatch(/\/api\/sources\/hr-scim\/requests\/[0-9a-f-]{36}$/);
    expect(res.body.Operations.map((o) => [o.bulkId, o.status])).toEqual([
      ['701984', '202'],
      ['701985', '202'],
    ]);
    await env.plane.whenIdle();
    const status = await requestStatus(env, token, res.headers.get('location')!);
    expect(status.status).toBe('completed');
    expect(status.operations.map((o) => [o.workerKey, o.status, o.classification])).toEqual([
      ['hr:701984', 'planned', 'joiner'],
      ['hr:701985', 'planned', 'joiner'],
    ]);
    const barbara = await env.mustAccount('701984');
    const lead = await env.mustAccount('701985');
    expect(status.operations[0]!.directory).toEqual([
      expect.objectContaining({ action: 'UpsertAccount', effect: 'created', dn: barbara.dn }),
    ]);
    expect(barbara).toMatchObject({
      enabled: true,
      title: 'Tour Guide',
      department: 'Tour Operations',
      l: 'Hollywood',
    });
    expect(barbara.company).toBe('Universal Studios');
    expect(lead).toMatchObject({ enabled: true, title: 'Tour Lead' });
    // Barbara's account and her report's were made side by side: the report's manager is set by the
    // command's repeat five seconds on, once Barbara's account exists.
    await env.at(new Date(env.clock.now().getTime() + 6_000).toISOString());
    expect(sameDn((await env.mustAccount('701985')).manager, barbara.dn)).toBe(true);
    expect(await ldapAttributes('701984', ['description', 'division'])).toEqual({
      description: 'TG-1001',
      division: 'Theme Park',
    });
  });

  it('the provisioning log shows each operation as Graph does, linked to the account it made', async () => {
    const res = await push<{ value: LogEntry[] }>(env, 'GET', 'provisioningLogs?sourceId=hr-scim&limit=2', {
      headers: { 'x-functions-key': env.plane.token },
    });
    expect(res.status).toBe(200);
    const barbara = await env.mustAccount('701984');
    const entry = res.body.value.find((e) => e.sourceIdentity.id === '701984')!;
    expect(entry).toMatchObject({
      jobId: 'hr-scim',
      provisioningAction: 'create',
      provisioningStatusInfo: { status: 'success' },
      targetIdentity: { details: { dn: barbara.dn } },
    });
    expect(entry.targetIdentity.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(entry.provisioningSteps.map((s) => s.name)).toEqual(['ImportEntry', 'EntryPlanned', 'UpsertAccount']);
  });

  it('the core+enterprise sample file is refused whole: it uses one bulkId twice', async () => {
    const res = await postBulk<{ scimType: string; detail: string; status: string }>(
      env,
      token,
      fixture('Extended-SCIM-bulk-request-Core+Enterprise.json'),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(res.body.detail).toContain('a6861ef2-c94b-4c96-85e0-27c59c0537eb');
  });

  it('with distinct bulkIds, its operations without a name fail alone, naming the attribute', async () => {
    const sample = fixture('Extended-SCIM-bulk-request-Core+Enterprise.json') as { Operations: { bulkId: string }[] };
    sample.Operations.forEach((op, i) => (op.bulkId = `op-${i}`));
    const status = await accepted(sample);
    expect(status.operations.map((o) => o.status)).toEqual(['planned', 'failed', 'failed']);
    expect(status.operations[1]!.issues).toEqual([
      expect.objectContaining({ path: 'name.givenName', scimType: 'invalidValue' }),
    ]);
    // The first operation is Barbara again, unchanged since the custom-attribute sample but for SAP fields.
    expect(status.operations[0]!.workerKey).toBe('hr:701984');
    expect(await env.account('807609')).toBeUndefined();
  });
});

describe('what administrators rely on', () => {
  it('an omitted active keeps the account enabled; with activeOmitted=disable it disables', async () => {
    await accepted(bulkRequest([scimUser('k1', 'K1', { active: true })]));
    expect((await env.mustAccount('K1')).enabled).toBe(true);
    const kept = await accepted(bulkRequest([scimUser('k1', 'K1', { title: 'Senior Engineer' })]));
    expect(kept.operations[0]).toMatchObject({ status: 'planned', classification: 'mover' });
    expect(await env.mustAccount('K1')).toMatchObject({ enabled: true, title: 'Senior Engineer' });

    await accepted(bulkRequest([scimUser('s1', 'S1', { active: true })]), STRICT_SCIM_SOURCE_ID);
    expect((await env.mustAccount('S1')).enabled).toBe(true);
    await accepted(bulkRequest([scimUser('s1', 'S1')]), STRICT_SCIM_SOURCE_ID);
    expect((await env.mustAccount('S1')).enabled).toBe(false);
  });

  it('active false disables the account and moves it to the disabled OU', async () => {
    await accepted(bulkRequest([scimUser('l1', 'L1', { active: true })]));
    expect(parentOf((await env.mustAccount('L1')).dn).toLowerCase()).toBe(officeOu('London').toLowerCase());
    const left = await accepted(bulkRequest([scimUser('l1', 'L1', { active: false })]));
    expect(left.operations[0]).toMatchObject({ status: 'planned', classification: 'leaver' });
    const account = await env.mustAccount('L1');
    expect(account.enabled).toBe(false);
    expect(sameDn(parentOf(account.dn), disabledOu())).toBe(true);
  });

  it('a manager who arrives in a later request is linked once their account exists', async () => {
    await accepted(bulkRequest([scimUser('r1', 'R1', { manager: 'M1' })]));
    expect((await env.mustAccount('R1')).manager).toBeUndefined();
    await accepted(bulkRequest([scimUser('m1', 'M1')]));
    const manager = await env.mustAccount('M1');
    // The report's command is delivered again (after 5 s, 1 min, then longer) until the manager exists.
    await env.at(new Date(env.clock.now().getTime() + 66_000).toISOString());
    expect(sameDn((await env.mustAccount('R1')).manager, manager.dn)).toBe(true);
  });

  it('the same request posted twice changes nothing the second time', async () => {
    const request = bulkRequest([scimUser('t1', 'T1'), scimUser('t2', 'T2')]);
    await accepted(request);
    const before = await accountsWhere(env.ldap, '(|(employeeID=T1)(employeeID=T2))');
    const audit = (await env.audit('T1')).length;
    const again = await accepted(request);
    expect(again.operations.map((o) => [o.status, o.classification, o.directory.length])).toEqual([
      ['planned', 'no-op', 0],
      ['planned', 'no-op', 0],
    ]);
    expect(await accountsWhere(env.ldap, '(|(employeeID=T1)(employeeID=T2))')).toEqual(before);
    expect((await env.audit('T1')).length).toBe(audit);
  });

  it('a request over the limits, with a repeated bulkId, or not scim+json is refused whole; nothing is stored', async () => {
    const logBefore = await logCount();
    const many = bulkRequest(Array.from({ length: 51 }, (_, i) => scimUser(`b${i}`, `B${i}`)));
    const tooMany = await postBulk<{ scimType: string; status: string }>(env, token, many);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toMatchObject({ scimType: 'tooMany', status: '413' });
    const huge = bulkRequest([{ ...scimUser('h', 'H'), padding: 'x'.repeat(1_100_000) }]);
    expect((await postBulk(env, token, huge)).status).toBe(413);
    const twice = await postBulk<{ scimType: string }>(
      env,
      token,
      bulkRequest([scimUser('d', 'D1'), scimUser('d', 'D2')]),
    );
    expect(twice.status).toBe(400);
    expect(twice.body.scimType).toBe('invalidValue');
    const plainJson = await push(env, 'POST', 'sources/hr-scim/bulkUpload', {
      token,
      contentType: 'application/json',
      body: JSON.stringify(bulkRequest([scimUser('j', 'J1')])),
    });
    expect(plainJson.status).toBe(415);
    expect(await logCount()).toBe(logBefore);
  });
});

async function logCount(): Promise<number> {
  const res = await push<{ value: unknown[] }>(env, 'GET', 'provisioningLogs?limit=1000', {
    headers: { 'x-functions-key': env.plane.token },
  });
  return res.body.value.length;
}

describe('bearer tokens', () => {
  const request = bulkRequest([scimUser('z', 'Z1')]);

  it('no token: 401 with a Bearer challenge', async () => {
    const res = await postBulk(env, null, request);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="hr2ad", error="invalid_token"/);
  });

  it('a function key is not a token: the ingest routes take bearer tokens only', async () => {
    const res = await push(env, 'POST', 'sources/hr-scim/bulkUpload', {
      contentType: 'application/scim+json',
      body: JSON.stringify(request),
      headers: { 'x-functions-key': env.plane.token },
    });
    expect(res.status).toBe(401);
  });

  it.each<[string, () => Promise<string>, number]>([
    ['expired', () => ingestToken(env, { now: new Date(Date.now() - 3 * 86_400_000) }), 401],
    ['for another audience', () => ingestToken(env, { audience: 'api://someone-else' }), 401],
    ['unsigned (alg none)', async () => unsigned(await ingestToken(env)), 401],
    ['without the ingest role', () => ingestToken(env, { role: 'Reports.Read' }), 403],
  ])('a token %s is refused', async (_what, make, status) => {
    const res = await postBulk<{ detail: string }>(env, await make(), request);
    expect(res.status).toBe(status);
    expect(await env.account('Z1')).toBeUndefined();
  });
});

/** The token's claims under an `alg: none` header and no signature. */
function unsigned(token: string): string {
  const [, payload] = token.split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return `${header}.${payload}.`;
}

describe('CSV upload and webhooks on the CSV source', () => {
  const row = (id: string, title: string): Row => ({
    id,
    first: 'Up',
    last: `Loaded${id}`,
    location: 'Tokyo',
    start: '2021-03-01',
    title,
  });

  it('an upload: good rows applied, a bad row failed naming its column', async () => {
    const badRow = [
      ...csvOf([row('U2', 'Analyst')])
        .split('\r\n')[1]!
        .split(','),
    ];
    badRow[16] = 'Sabbatical';
    const res = await uploadCsv<{ requestId: string; operations: number; failed: number }>(
      env,
      token,
      csvOf([row('U1', 'Analyst'), badRow]),
    );
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ operations: 2, failed: 1 });
    await env.plane.whenIdle();
    const status = await requestStatus(env, token, res.headers.get('location')!);
    expect(status.operations.map((o) => o.status)).toEqual(['planned', 'failed']);
    expect(status.operations[1]!.issues[0]).toMatchObject({ path: 'Status' });
    expect(await env.mustAccount('U1')).toMatchObject({ title: 'Analyst', enabled: true });
    expect(await env.account('U2')).toBeUndefined();
  });

  it('SCIM-era pushes and a poll of the same source at once: planned in arrival order, the last change wins', async () => {
    env.dir.writeCsv(csvOf([row('U1', 'Polled Title')]));
    const sync = await env.api<{ cycleId: string }>('POST', `sources/${SOURCE_ID}/sync`);
    expect(sync.status).toBe(202);
    for (const title of ['Upload One', 'Upload Two', 'Upload Three']) {
      expect((await uploadCsv(env, token, csvOf([row('U1', title)]))).status).toBe(202);
    }
    await env.plane.whenIdle();
    expect((await env.mustAccount('U1')).title).toBe('Upload Three');
  });

  it('a signed webhook reads the named worker from the source now, and the change reaches AD', async () => {
    await setWebhookSecret(env, 'whsec-e2e-shared');
    env.dir.writeCsv(
      csvOf([
        row('U1', 'Read By Webhook'),
        { id: 'F100', first: 'Frances', last: 'Allen', location: 'Berlin', start: '2020-01-06' },
      ]),
    );
    const body = JSON.stringify({ workerIds: ['U1'] });
    const signature = signWebhook('whsec-e2e-shared', body, Math.floor(env.clock.now().getTime() / 1000));
    const res = await push(env, 'POST', `sources/${SOURCE_ID}/webhook`, {
      contentType: 'application/json',
      body,
      headers: { 'x-hr2ad-signature': signature },
    });
    expect(res.status).toBe(202);
    await env.plane.whenIdle();
    expect((await env.mustAccount('U1')).title).toBe('Read By Webhook');
    // Only the named worker was read: Frances, not named, has no account from this file.
    expect(await env.account('F100')).toBeUndefined();

    const replay = await push<{ detail: string }>(env, 'POST', `sources/${SOURCE_ID}/webhook`, {
      contentType: 'application/json',
      body,
      headers: { 'x-hr2ad-signature': signature },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toMatch(/replay/);
  });

  it.each<[string, () => string]>([
    ['forged (another secret)', () => signWebhook('not-the-secret', BODY, nowSeconds())],
    ['stale (ten minutes old)', () => signWebhook('whsec-e2e-shared', BODY, nowSeconds() - 600)],
    ['tampered (signed for another body)', () => signWebhook('whsec-e2e-shared', '{"workerIds":["X"]}', nowSeconds())],
  ])('a %s webhook is refused and nothing is read', async (_what, sign) => {
    env.dir.writeCsv(csvOf([row('U1', 'Should Not Apply')]));
    const res = await push(env, 'POST', `sources/${SOURCE_ID}/webhook`, {
      contentType: 'application/json',
      body: BODY,
      headers: { 'x-hr2ad-signature': sign() },
    });
    expect(res.status).toBe(401);
    await env.plane.whenIdle();
    expect((await env.mustAccount('U1')).title).not.toBe('Should Not Apply');
  });
});

const BODY = JSON.stringify({ workerIds: ['U1'] });
const nowSeconds = () => Math.floor(env.clock.now().getTime() / 1000);
