/**
 * The go-live link report (`hr2ad sync --dry-run`): the preview, checked against the directory. The
 * embedded agent looks each planned worker's account up, one match key at a time in precedence order, so
 * the report says which existing AD accounts will be adopted and by which key, which accounts will be
 * created, and which accounts in the managed OUs match no worker — what an administrator reads before
 * the first real sync. Nothing is written anywhere.
 */
import type { DirectoryApplier } from '../../agent/index';
import type { PreviewReport } from '../../shared/planner/preview';
import type { MatchKey } from '../../shared/protocol/commands';
import { displayText } from '../../shared/util/display-text';

export interface LinkReport {
  readonly adopted: readonly { readonly workerKey: string; readonly dn: string; readonly by: MatchKey }[];
  readonly created: readonly string[];
  readonly unmatched: readonly { readonly dn: string; readonly enabled: boolean }[];
}

const LOOKUPS_AT_ONCE = 8;

/** The match keys of the worker's first account-shaping command. */
function matchKeysOf(worker: PreviewReport['workers'][number]): readonly MatchKey[] | null {
  const upsert = worker.plan?.steps.find((s) => s.command.kind === 'UpsertAccount');
  return upsert ? upsert.command.match : null;
}

async function lookUp(agent: DirectoryApplier, workerKey: string, key: MatchKey, now: Date) {
  const result = await agent.applyPayload({
    kind: 'LookupAccount',
    protocol: 1,
    commandId: `link-report.${workerKey}.${key.attribute}`,
    workerKey,
    sequence: 0,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    match: [key],
    attributes: [],
  });
  return result.kind === 'LookedUp' ? result.account : null;
}

export async function buildLinkReport(agent: DirectoryApplier, report: PreviewReport, now: Date): Promise<LinkReport> {
  const adopted: { workerKey: string; dn: string; by: MatchKey; guid: string }[] = [];
  const created: string[] = [];
  const workers = report.workers.filter((w) => matchKeysOf(w) !== null);
  for (let i = 0; i < workers.length; i += LOOKUPS_AT_ONCE) {
    await Promise.all(
      workers.slice(i, i + LOOKUPS_AT_ONCE).map(async (w) => {
        for (const key of matchKeysOf(w)!) {
          const account = await lookUp(agent, w.workerKey, key, now);
          if (account)
            return void adopted.push({ workerKey: w.workerKey, dn: account.dn, by: key, guid: account.objectGUID });
        }
        created.push(w.workerKey);
      }),
    );
  }
  const linked = new Set(adopted.map((a) => a.guid));
  const unmatched = (await agent.listAccounts([]))
    .filter((a) => !linked.has(a.objectGUID))
    .map((a) => ({ dn: a.dn, enabled: a.enabled }));
  const byKey = (a: { workerKey: string }, b: { workerKey: string }) => a.workerKey.localeCompare(b.workerKey);
  return {
    adopted: adopted.sort(byKey).map(({ guid: _g, ...rest }) => rest),
    created: created.sort(),
    unmatched: unmatched.sort((a, b) => a.dn.localeCompare(b.dn)),
  };
}

export function renderLinkReport(report: LinkReport): string {
  const lines = [`Go-live link report (nothing was changed):`];
  lines.push(`  existing accounts that will be adopted: ${report.adopted.length}`);
  for (const a of report.adopted)
    lines.push(
      `    ${displayText(a.workerKey)} → ${displayText(a.dn)} (matched by ${a.by.attribute}=${displayText(a.by.value)})`,
    );
  lines.push(`  accounts that will be created: ${report.created.length}`);
  for (const w of report.created) lines.push(`    ${displayText(w)}`);
  lines.push(`  accounts in the managed OUs that match no worker (left alone): ${report.unmatched.length}`);
  for (const u of report.unmatched) lines.push(`    ${displayText(u.dn)}${u.enabled ? '' : ' (disabled)'}`);
  return `${lines.join('\n')}\n`;
}
