/**
 * HR connector figures against each connector's fake server (no DC): requests per 1,000 workers for a full
 * load and for a delta of 10 changes, and the time of a 10,000-worker full load. The fakes validate every
 * request against the vendor's OpenAPI document (in a child process), so times include that validation.
 * BambooHR publishes no request rate; the connector honours 429/503 Retry-After when it is throttled.
 *
 *   node --import tsx scripts/bench-connectors.ts [--workers 1000] [--large 10000]
 */
import { silentLogger } from '../agent/logging/silent-logger';
import { BambooHrSource } from '../functions/sources/connectors/bamboohr/bamboohr-hr-source';
import type { HrRead } from '../shared/ports/hr-source.port';
import { FakeBambooHr, type FakeEmployeeInput } from '../test/harness/hr-fakes/bamboohr/fake-bamboohr';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const WORKERS = arg('workers', 1000);
const LARGE = arg('large', 10_000);
const TODAY = new Date('2026-06-01T09:00:00Z');

function employee(i: number): FakeEmployeeInput {
  const title = i % 7 === 0 ? 'Manager' : 'Engineer';
  return {
    id: String(i),
    fields: {
      firstName: `Given${i}`,
      lastName: `Family${i}`,
      preferredName: null,
      workEmail: `person${i}@example.com`,
      workPhone: null,
      mobilePhone: null,
      hireDate: '2021-03-01',
      reportsToId: i === 1 ? null : '1',
      employmentStatusName: 'Full-Time',
      status: 'Active',
      jobTitleName: title,
    },
    jobInfo: [
      { date: '2021-03-01', location: 'London', division: 'Product', department: 'Engineering', jobTitle: title },
    ],
    employmentStatus: [{ date: '2021-03-01', employmentStatus: 'Full-Time' }],
  };
}

function source(fake: FakeBambooHr): BambooHrSource {
  return new BambooHrSource({
    id: 'hr-bamboo',
    source: 'hr',
    baseUrl: fake.baseUrl,
    apiKey: async () => fake.apiKey,
    clock: { now: () => TODAY },
    logger: silentLogger,
    pageSize: 100,
  });
}

function cursorOf(read: HrRead): string {
  if (read.kind !== 'snapshot') throw new Error(`the read is suspect: ${read.reason}`);
  return read.cursor;
}

async function bamboohr(): Promise<void> {
  const fake = await FakeBambooHr.start();
  try {
    for (let i = 1; i <= WORKERS; i++) fake.hire(employee(i));
    fake.resetRequests();
    const cursor = cursorOf(await source(fake).read({ since: null }));
    const full = fake.requestCount;
    for (let i = 1; i <= 10; i++) fake.update(String(i * 3), { jobTitleName: 'Senior Engineer' });
    fake.resetRequests();
    const delta = await source(fake).read({ since: cursor });
    if (delta.kind !== 'snapshot' || delta.records.length !== 10) throw new Error('the delta did not read 10 workers');
    const deltaRequests = fake.requestCount;
    for (let i = WORKERS + 1; i <= LARGE; i++) fake.hire(employee(i));
    fake.resetRequests();
    const start = performance.now();
    const large = await source(fake).read({ since: null });
    const ms = performance.now() - start;
    if (large.kind !== 'snapshot' || large.records.length !== LARGE) throw new Error('the full load missed workers');
    const invalid = fake.invalidRequests.length;
    console.log(
      `BambooHR: full load ${full} requests per ${WORKERS} workers; delta of 10 changes ${deltaRequests} requests`,
    );
    console.log(
      `BambooHR: full load of ${LARGE} workers ${(ms / 1000).toFixed(2)} s, ${fake.requestCount} requests (no published rate limit); invalid requests: ${invalid}`,
    );
  } finally {
    await fake.close();
  }
}

bamboohr().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
