/**
 * Demo composition root: applies the bundled lifecycle to a local Samba AD DC (brought up by
 * scripts/demo.sh) through the real agent, and prints what changed and what the directory holds.
 *
 *   node --import tsx agent/demo/run-demo.ts <connection.json>
 */
import { parentOf, formatDn, parseDn } from '../../shared/directory/dn';
import type { CommandResult } from '../../shared/protocol';
import { isEnabled } from '../applier/user-account-control';
import { LdaptsDirectory } from '../directory/ldapts-directory';
import { createDirectoryAgent, createPinoLogger } from '../index';
import { dcConnectionOptions, readDcConnection } from './dc-connection';
import { demoGroups, demoLayout, demoSteps, type DemoLayout } from './demo-commands';

const short = (dn: string, l: DemoLayout) => dn.replace(`,${l.root}`, '');

function describe(result: CommandResult, l: DemoLayout): string[] {
  switch (result.kind) {
    case 'Applied': {
      const lines = [
        `Applied: ${result.deleted ? 'deleted' : result.created ? 'created' : 'updated'} ${short(result.dn, l)}`,
      ];
      if (Object.keys(result.chosen).length)
        lines.push(
          `chosen  ${Object.entries(result.chosen)
            .map(([k, v]) => `${k}=${v}`)
            .join('  ')}`,
        );
      if (result.moved) lines.push(`moved   ${short(result.moved.from, l)} -> ${short(result.moved.to, l)}`);
      const changes = result.changes.filter(
        (c) => !result.created || ['userAccountControl', 'manager'].includes(c.attribute),
      );
      for (const c of changes)
        lines.push(`changed ${c.attribute}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`);
      for (const g of result.groupsAdded) lines.push(`group + ${short(g, l)}`);
      for (const g of result.groupsRemoved) lines.push(`group - ${short(g, l)}`);
      for (const p of result.pending)
        lines.push(`pending manager ${p.attribute}=${p.value} is not in the directory yet; set on a later delivery`);
      return lines;
    }
    case 'NoChange':
      return [`NoChange${result.dn ? `: ${short(result.dn, l)} already as desired` : ''}`];
    case 'Failed':
      return [`Failed ${result.code}${result.retryable ? ' (retryable)' : ''}: ${result.message}`];
    case 'LookedUp':
      return [`LookedUp: ${result.account ? short(result.account.dn, l) : 'no account'}`];
  }
}

async function main(connectionFile: string): Promise<void> {
  const c = readDcConnection(connectionFile);
  const l = demoLayout(c.baseDn, c.realm.toLowerCase());
  // Warnings and errors as JSON lines on stderr; the demo prints each result itself.
  const logger = createPinoLogger({ level: 'warn' });
  const admin = new LdaptsDirectory(dcConnectionOptions(c), logger);
  // The directory an administrator prepared: OUs and groups (the agent creates accounts, never OUs).
  for (const ou of [l.root, l.engineering, l.sales, l.disabled, l.groups])
    await admin.add(ou, { objectClass: ['top', 'organizationalUnit'] });
  for (const [name, dn] of Object.entries(demoGroups(l)))
    await admin.add(dn, { objectClass: ['top', 'group'], sAMAccountName: [`gg-${name}`] });

  const agent = createDirectoryAgent(
    {
      directory: {
        url: c.url,
        bindDn: c.bindDn,
        bindPassword: { file: c.passwordFile },
        tls: { caFile: c.caFile, serverName: c.serverName },
      },
      policy: { domainDn: c.baseDn, allowedOus: [l.root] },
    },
    { logger, now: () => new Date() },
  );

  console.log(`hr2ad demo: applying a bundled lifecycle to ${c.url} (${c.realm}), under ${l.root}\n`);
  const steps = demoSteps(l, new Date());
  for (const [i, step] of steps.entries()) {
    const result = await agent.apply(step.command);
    const who = step.command.workerKey.replace('demo:', '');
    console.log(`[${String(i + 1).padStart(2)}/${steps.length}] ${step.command.kind} ${who} — ${step.label}`);
    for (const line of describe(result, l)) console.log(`        ${line}`);
  }

  const accounts = await admin.search({
    base: l.root,
    scope: 'sub',
    filter: '(&(objectClass=user)(!(objectClass=computer)))',
    attributes: ['sAMAccountName', 'employeeID', 'userAccountControl', 'department', 'title', 'manager', 'memberOf'],
  });
  console.log('\nThe directory now holds:');
  const rows = accounts
    .map((e) => {
      const a = e.attributes;
      const manager = a.manager?.[0] ? parseDn(a.manager[0])[0]!.value : '';
      const groups = (a.memberof ?? []).map((g) => parseDn(g)[0]!.value).join(',');
      const enabled = isEnabled(Number(a.useraccountcontrol?.[0])) ? 'enabled' : 'disabled';
      return [
        a.employeeid?.[0] ?? '',
        a.samaccountname?.[0] ?? '',
        short(formatDn(parentOf(e.dn)), l),
        enabled,
        a.department?.[0] ?? '',
        a.title?.[0] ?? '',
        manager,
        groups,
      ];
    })
    .sort((a, b) => a[0]!.localeCompare(b[0]!));
  const header = ['employeeID', 'sAMAccountName', 'OU', 'state', 'department', 'title', 'manager', 'groups'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) console.log(`  ${row.map((v, i) => v.padEnd(widths[i]!)).join('  ')}`.trimEnd());
  await agent.close();
  await admin.close();
}

main(process.argv[2] ?? '').catch((error: unknown) => {
  console.error(`demo failed: ${(error as Error).message}`);
  process.exit(1);
});
