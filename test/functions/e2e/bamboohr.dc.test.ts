/**
 * BambooHR end to end: the fake BambooHR (every request validated against BambooHR's OpenAPI document) →
 * the BambooHR source in the local control plane (its API key in the secret store) → cycles → the embedded
 * agent → the real Samba DC, on a virtual clock.
 *
 * | step | expected in AD |
 * |---|---|
 * | first sync: a full load of two employees | both accounts, in their office OUs |
 * | a job change dated today, next sync (a delta of one) | the new title; only that worker planned |
 * | a transfer dated ten days ahead, next sync | nothing yet; on the date, the account moves to the new office OU with the new title |
 * | the API key refused, a change meanwhile | the cycle fails naming the source, nothing changes; with the key back, the next sync applies the change (the cursor had stayed) |
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { localDataFiles, openSecrets } from '../../../functions/local-host/local-control-plane';
import { FakeBambooHr, type FakeEmployeeInput } from '../../harness/hr-fakes/bamboohr/fake-bamboohr';
import { acquireDc, resetDc } from '../../harness/samba-dc';
import { csvOf, E2e, officeOu, parentOf, sameDn, SOURCE } from './fixtures/e2e-env';

const NOW = '2026-06-01T06:00:00Z';
const SOURCE_ID = 'hr-bamboo';

let release: (() => void) | undefined;
let fake: FakeBambooHr;
let env: E2e;

function employee(id: string, first: string, last: string, location: string, title: string): FakeEmployeeInput {
  const job = { date: '2021-03-01', location, division: 'Product', department: 'Engineering', jobTitle: title };
  return {
    id,
    fields: {
      firstName: first,
      lastName: last,
      preferredName: null,
      workEmail: `${first}.${last}@example.com`.toLowerCase(),
      workPhone: null,
      mobilePhone: null,
      hireDate: '2021-03-01',
      reportsToId: null,
      employmentStatusName: 'Full-Time',
      status: 'Active',
      jobTitleName: title,
    },
    jobInfo: [job],
    employmentStatus: [{ date: '2021-03-01', employmentStatus: 'Full-Time' }],
  };
}

beforeAll(async () => {
  release = await acquireDc();
  resetDc();
  fake = await FakeBambooHr.start();
  fake.hire(employee('101', 'Rosalind', 'Franklin', 'London', 'Engineer'));
  fake.hire(employee('102', 'Lise', 'Meitner', 'Berlin', 'Physicist'));
  env = await E2e.open({
    now: NOW,
    csv: csvOf([]),
    configure: (config) => ({
      ...config,
      sources: [
        {
          id: SOURCE_ID,
          kind: 'bamboohr',
          source: SOURCE,
          companyDomain: 'acme',
          baseUrl: fake.baseUrl,
          apiKey: { secret: 'bamboohr-api-key' },
          schedule: '0 0 0 1 1 *',
        },
      ],
    }),
  });
  await (await openSecrets(localDataFiles(env.loaded))).set('bamboohr-api-key', fake.apiKey);
}, 120_000);

afterAll(async () => {
  await env?.close();
  await fake?.close();
  release?.();
});

afterEach(() => {
  expect(fake.invalidRequests.splice(0)).toEqual([]);
});

async function sync(): Promise<Record<string, number>> {
  const res = await env.api<{ cycleId: string }>('POST', `sources/${SOURCE_ID}/sync`);
  expect(res.status).toBe(202);
  await env.plane.whenIdle();
  return (await env.cycle(res.body.cycleId)).counts;
}

it('a full load creates both accounts in their office OUs', async () => {
  await sync();
  const rosalind = await env.mustAccount('101');
  const lise = await env.mustAccount('102');
  expect(sameDn(parentOf(rosalind.dn), officeOu('London'))).toBe(true);
  expect(sameDn(parentOf(lise.dn), officeOu('Berlin'))).toBe(true);
  expect(rosalind).toMatchObject({ enabled: true, title: 'Engineer', department: 'Engineering' });
});

it('a job change dated today reaches AD through a delta of one worker', async () => {
  fake.addRow('101', 'jobInfo', {
    date: '2026-06-01',
    location: 'London',
    division: 'Product',
    department: 'Engineering',
    jobTitle: 'Lead Engineer',
  });
  const counts = await sync();
  expect(counts.mover).toBe(1);
  expect(counts.joiner ?? 0).toBe(0);
  expect((await env.mustAccount('101')).title).toBe('Lead Engineer');
  expect((await env.mustAccount('102')).title).toBe('Physicist');
});

it('a transfer dated ten days ahead lands on its date', async () => {
  fake.addRow('102', 'jobInfo', {
    date: '2026-06-11',
    location: 'Sydney',
    division: 'Product',
    department: 'Research',
    jobTitle: 'Head of Research',
  });
  await sync();
  expect(sameDn(parentOf((await env.mustAccount('102')).dn), officeOu('Berlin'))).toBe(true);
  await env.at('2026-06-12T00:00:00Z');
  const moved = await env.mustAccount('102');
  expect(sameDn(parentOf(moved.dn), officeOu('Sydney'))).toBe(true);
  expect(moved).toMatchObject({ title: 'Head of Research', department: 'Research' });
});

it('a refused key fails the cycle naming the source; the cursor stays, so the next sync catches up', async () => {
  const secrets = await openSecrets(localDataFiles(env.loaded));
  await secrets.set('bamboohr-api-key', 'revoked-key');
  fake.addRow('101', 'jobInfo', {
    date: '2026-06-12',
    location: 'London',
    division: 'Product',
    department: 'Engineering',
    jobTitle: 'Principal Engineer',
  });
  const res = await env.api<{ cycleId: string }>('POST', `sources/${SOURCE_ID}/sync`);
  await env.plane.whenIdle();
  const failed = await env.cycle(res.body.cycleId);
  expect(failed).toMatchObject({ status: 'failed' });
  expect(failed.reason).toMatch(/hr-bamboo.*refused \(401\)/);
  expect(failed.reason).not.toContain('revoked-key');
  expect((await env.mustAccount('101')).title).toBe('Lead Engineer');

  await secrets.set('bamboohr-api-key', fake.apiKey);
  await sync();
  expect((await env.mustAccount('101')).title).toBe('Principal Engineer');
});
