/**
 * HR connector figures against each connector's fake server (no DC), through the same drivers as the
 * connector contract suite: requests per 1,000 workers for a full load and for a delta of 10 changes, and
 * the time of a 10,000-worker full load. The fakes validate every request as the vendor documents it and
 * enforce the vendor's published rate limits, and the connectors really wait (Retry-After, their own pacing),
 * so the times include both.
 *
 *   node --import tsx scripts/bench-connectors.ts [--workers 1000] [--large 10000] [--only bamboohr,personio]
 */
import { silentLogger } from '../agent/logging/silent-logger';
import type { HrRead } from '../shared/ports/hr-source.port';
import { contractPerson } from '../test/functions/sources/connectors/contract/connector-contract';
import { CONTRACT_TODAY, type ConnectorDriver } from '../test/functions/sources/connectors/contract/connector-driver';
import { BambooHrDriver } from '../test/functions/sources/connectors/bamboohr/bamboohr-driver';
import { HibobDriver } from '../test/functions/sources/connectors/hibob/hibob-driver';
import { AfasDriver } from '../test/functions/sources/connectors/afas/afas-driver';
import { SuccessFactorsDriver } from '../test/functions/sources/connectors/successfactors/successfactors-driver';
import { PersonioDriver } from '../test/functions/sources/connectors/personio/personio-driver';
import { WorkdayDriver } from '../test/functions/sources/connectors/workday/workday-driver';

/** Every connector's driver; each connector adds its own. */
const DRIVERS: readonly (() => ConnectorDriver)[] = [
  () => new BambooHrDriver(),
  () => new HibobDriver(),
  () => new AfasDriver(),
  () => new SuccessFactorsDriver(),
  () => new PersonioDriver(),
  () => new WorkdayDriver(),
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const WORKERS = arg('workers', 1000);
const LARGE = arg('large', 10_000);
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1]!.split(',') : null;

function hireRange(driver: ConnectorDriver, from: number, to: number): void {
  for (let i = from; i <= to; i++) {
    const manager = i === 1 ? null : String(1 + ((i - 1) % 50));
    driver.hire(contractPerson(String(i), { managerId: manager, title: i % 7 === 0 ? 'Manager' : 'Engineer' }));
  }
}

async function read(driver: ConnectorDriver, since: string | null): Promise<{ cursor: string; records: number }> {
  const source = driver.source({
    id: `hr-${driver.kind}`,
    source: 'hr',
    // 13:00 UTC, as in the contract suite: the day is today in every zone.
    clock: { now: () => new Date(`${CONTRACT_TODAY}T13:00:00Z`) },
    logger: silentLogger,
    pageSize: 100,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  });
  const result: HrRead = await source.read({ since });
  if (result.kind !== 'snapshot') throw new Error(`${driver.vendor}: the read is suspect: ${result.reason}`);
  return { cursor: result.cursor, records: result.records.length };
}

async function bench(driver: ConnectorDriver): Promise<void> {
  await driver.start();
  try {
    hireRange(driver, 1, WORKERS);
    driver.resetRequests();
    const full = await read(driver, null);
    const fullRequests = driver.requestCount;
    for (let i = 1; i <= 10; i++) driver.changeEmail(String(i * 3), `changed${i * 3}@example.com`);
    driver.resetRequests();
    const delta = await read(driver, full.cursor);
    const deltaRequests = driver.requestCount;
    hireRange(driver, WORKERS + 1, LARGE);
    driver.resetRequests();
    const start = performance.now();
    const large = await read(driver, null);
    const seconds = (performance.now() - start) / 1000;
    if (large.records !== LARGE) throw new Error(`${driver.vendor}: the full load read ${large.records} of ${LARGE}`);
    const invalid = driver.takeInvalidRequests().length;
    console.log(
      `${driver.vendor}: full load ${fullRequests} requests per ${WORKERS} workers; delta of 10 changes ` +
        `${deltaRequests} requests (${delta.records} records read); full load of ${LARGE} workers ` +
        `${seconds.toFixed(2)} s, ${driver.requestCount} requests; invalid requests: ${invalid}`,
    );
  } finally {
    await driver.close();
  }
}

async function main(): Promise<void> {
  for (const make of DRIVERS) {
    const driver = make();
    if (!ONLY || ONLY.includes(driver.kind)) await bench(driver);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
