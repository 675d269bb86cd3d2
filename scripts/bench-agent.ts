/**
 * Agent benchmark: 2,000 joiners through the directory applier versus a raw ldapts loop doing the same
 * add + password + enable, against the same Samba AD DC in one run. Blocks of the two alternate so both
 * see the same directory size. Prints both rates and their ratio.
 *
 *   npm run bench:agent -- [--count 2000] [--block 200]
 */
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { childDn } from '../shared/directory/dn';
import type { UpsertAccount } from '../shared/protocol';
import { DirectoryApplier } from '../agent/applier/directory-applier';
import { generateTemporaryPassword } from '../agent/applier/password-generator';
import { LdaptsDirectory, type LdapConnectionOptions } from '../agent/directory/ldapts-directory';
import { silentLogger } from '../agent/logging/silent-logger';
import { dcConnectionOptions, readDcConnection } from '../agent/demo/dc-connection';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const COUNT = arg('count', 2000);
const BLOCK = arg('block', 200);
const dcDir = process.env.HR2AD_DC_DIR ?? join(__dirname, '../.data/samba-dc');
const connection = readDcConnection(join(dcDir, 'connection.json'));
const options: LdapConnectionOptions = dcConnectionOptions(connection);
const realm = connection.realm.toLowerCase();
const appliedOu = childDn('OU', 'BenchApplier', connection.baseDn);
const rawOu = childDn('OU', 'BenchRaw', connection.baseDn);

function person(prefix: string, i: number) {
  const id = `${prefix}${String(i).padStart(6, '0')}`;
  return { id, given: `Given${i}`, family: `${prefix}Family${i}`, sam: `${prefix.toLowerCase()}user${i}` };
}

function command(i: number): UpsertAccount {
  const p = person('A', i);
  const now = Date.now();
  return {
    kind: 'UpsertAccount',
    protocol: 1,
    commandId: `bench-${i}`,
    workerKey: `bench:${p.id}`,
    sequence: 1,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3_600_000).toISOString(),
    match: [{ attribute: 'employeeID', value: p.id }],
    parentOu: appliedOu,
    attributes: {
      always: { givenName: p.given, sn: p.family, displayName: `${p.given} ${p.family}` },
      onCreate: { employeeID: p.id },
    },
    unique: { sAMAccountName: [p.sam], userPrincipalName: [`${p.sam}@${realm}`], cn: [`${p.given} ${p.family}`] },
    enabled: true,
    password: { kind: 'generated', length: 20, mustChangeAtNextLogon: true },
  };
}

async function rawJoiner(client: Client, i: number): Promise<void> {
  const p = person('R', i);
  const dn = childDn('CN', `${p.given} ${p.family}`, rawOu);
  await client.add(dn, {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: p.sam,
    userPrincipalName: `${p.sam}@${realm}`,
    givenName: p.given,
    sn: p.family,
    displayName: `${p.given} ${p.family}`,
    employeeID: p.id,
    userAccountControl: '546',
  });
  const password = generateTemporaryPassword(20, [p.sam]);
  await client.modify(
    dn,
    new Change({
      operation: 'replace',
      modification: new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"${password}"`, 'utf16le')] }),
    }),
  );
  await client.modify(dn, [
    new Change({ operation: 'replace', modification: new Attribute({ type: 'userAccountControl', values: ['512'] }) }),
    new Change({ operation: 'replace', modification: new Attribute({ type: 'pwdLastSet', values: ['0'] }) }),
  ]);
}

async function main(): Promise<void> {
  const client = new Client({
    url: options.url,
    strictDN: false,
    tlsOptions: { ca: [options.tls!.ca!], servername: options.tls!.serverName! },
  });
  await client.bind(options.bindDn, options.bindPassword);
  for (const ou of [appliedOu, rawOu]) await client.add(ou, { objectClass: ['top', 'organizationalUnit'] });

  const applier = new DirectoryApplier({
    directory: new LdaptsDirectory(options, silentLogger),
    policy: { domainDn: connection.baseDn, allowedOus: [appliedOu] },
    logger: silentLogger,
    now: () => new Date(),
  });
  // Warm both paths (connection, TLS, the applier's match index) outside the timed blocks.
  const warmStart = performance.now();
  await applier.apply(command(COUNT));
  const warmMs = performance.now() - warmStart;
  await rawJoiner(client, COUNT);

  let rawMs = 0;
  let applierMs = 0;
  let failures = 0;
  for (let start = 0, block = 0; start < COUNT; start += BLOCK, block++) {
    const end = Math.min(start + BLOCK, COUNT);
    const runRaw = async () => {
      const t = performance.now();
      for (let i = start; i < end; i++) await rawJoiner(client, i);
      rawMs += performance.now() - t;
    };
    const runApplier = async () => {
      const t = performance.now();
      for (let i = start; i < end; i++) {
        const result = await applier.apply(command(i));
        if (result.kind !== 'Applied') failures++;
      }
      applierMs += performance.now() - t;
    };
    // Alternate who goes first so neither always meets the larger directory.
    if (block % 2 === 0) {
      await runRaw();
      await runApplier();
    } else {
      await runApplier();
      await runRaw();
    }
    process.stderr.write(`  ${end}/${COUNT} joiners each\r`);
  }
  process.stderr.write('\n');
  await applier.close();
  await client.unbind();
  if (failures) throw new Error(`${failures} applier joiners did not apply`);

  const rawRate = (COUNT / rawMs) * 1000;
  const applierRate = (COUNT / applierMs) * 1000;
  console.log(`bench:agent  joiners=${COUNT}  dc-writes=${connection.durableWrites ? 'fsync (durable)' : 'nosync'}`);
  console.log(`  raw ldapts loop   ${rawRate.toFixed(1)} joiners/s  (${(rawMs / 1000).toFixed(1)} s)`);
  console.log(
    `  directory applier ${applierRate.toFixed(1)} joiners/s  (${(applierMs / 1000).toFixed(1)} s; first command incl. index load ${warmMs.toFixed(0)} ms)`,
  );
  console.log(`  ratio applier/raw ${(applierRate / rawRate).toFixed(3)}  (target >= 0.8)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
