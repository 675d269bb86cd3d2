/**
 * What a sync did, for the administrator at the terminal: each cycle's classifications, the commands
 * applied since the sync began by effect (created, updated, moved, disabled, deleted, failed), what is
 * scheduled for later with its due time, held cycles and quarantined records with their reasons.
 */
import type { AuditEntry, CycleRecord, QuarantineEntry, StateStore } from '../../shared/ports/state-store.port';
import { formatDn, tryParseDn } from '../../shared/directory/dn';
import { displayText } from '../../shared/util/display-text';
import type { DurableEngine } from '../local-host/durable/durable-engine';
import type { LifecycleStatus } from '../orchestrations/lifecycle-state';

export interface ScheduledStep {
  readonly workerKey: string;
  readonly kind: string;
  readonly purpose: string;
  readonly dueAt: string;
  /** Set on a delivery repeated because the manager is not in the directory yet. */
  readonly redelivery?: number;
}

export interface SyncSummary {
  readonly cycles: readonly CycleRecord[];
  /** Cycles that found their source unchanged (nothing planned, nothing stored). */
  readonly unchanged: readonly string[];
  /** Applied commands by effect since the sync began. */
  readonly effects: Readonly<Record<string, number>>;
  readonly failures: readonly { readonly workerKey: string; readonly action: string; readonly detail: string }[];
  /** Each applied change to an existing account (creates are counted, not listed), in the order applied. */
  readonly changes: readonly { readonly workerKey: string; readonly effect: string; readonly detail: string }[];
  readonly scheduled: readonly ScheduledStep[];
  readonly quarantined: readonly QuarantineEntry[];
}

export const EFFECTS = [
  'created',
  'updated',
  'moved',
  'enabled',
  'disabled',
  'deleted',
  'no-change',
  'failed',
  'timed-out',
];

async function auditSince(store: StateStore, from: string): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (let after: string | undefined; ;) {
    const page = await store.queryAudit({ from, limit: 1000, ...(after ? { after } : {}) });
    entries.push(...page.entries);
    if (!page.next) return entries;
    after = page.next;
  }
}

/** Every step a lifecycle orchestration is waiting to run after `now`, soonest first. */
export async function scheduledSteps(engine: DurableEngine, now: Date): Promise<ScheduledStep[]> {
  const steps: ScheduledStep[] = [];
  for (let token: string | undefined; ;) {
    const page = await engine.listStatus({
      instanceIdPrefix: 'lifecycle:',
      runtimeStatus: ['Running', 'Pending'],
      top: 500,
      ...(token ? { continuationToken: token } : {}),
    });
    for (const instance of page.instances) {
      const status = instance.customStatus as LifecycleStatus | null;
      for (const step of status?.pending ?? [])
        if (Date.parse(step.dueAt) > now.getTime()) steps.push({ workerKey: status!.workerKey, ...step });
    }
    if (!page.continuationToken) break;
    token = page.continuationToken;
  }
  return steps.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.workerKey.localeCompare(b.workerKey));
}

export async function collectSummary(
  store: StateStore,
  engine: DurableEngine,
  cycleIds: readonly string[],
  sourceIds: readonly string[],
  since: string,
  now: Date,
): Promise<SyncSummary> {
  const found = await Promise.all(cycleIds.map((id) => store.getCycle(id)));
  const cycles = found.filter((c): c is CycleRecord => !!c);
  const unchanged = cycleIds.filter((_, i) => !found[i]);
  const audit = await auditSince(store, since);
  const effects: Record<string, number> = Object.fromEntries(EFFECTS.map((e) => [e, 0]));
  for (const entry of audit) effects[entry.effect] = (effects[entry.effect] ?? 0) + 1;
  const failures = audit
    .filter((e) => e.effect === 'failed' || e.effect === 'timed-out')
    .map((e) => ({
      workerKey: e.workerKey,
      action: e.action,
      detail: e.result?.kind === 'Failed' ? `${e.result.code}: ${e.result.message}` : 'no result from the agent',
    }));
  const changes = audit
    .filter((e) => ['updated', 'moved', 'enabled', 'disabled', 'deleted'].includes(e.effect))
    .map((e) => ({ workerKey: e.workerKey, effect: e.effect, detail: changeDetail(e) }));
  const quarantined = (await Promise.all(sourceIds.map((s) => store.listQuarantine(s)))).flat();
  const scheduled = await scheduledSteps(engine, now);
  return { cycles, unchanged, effects, failures, changes, scheduled, quarantined };
}

/** What changed on the account: the move, then the attributes (names only; values are in the audit). */
function changeDetail(entry: AuditEntry): string {
  const result = entry.result;
  if (result?.kind !== 'Applied') return entry.cause.classification ?? '';
  const parts: string[] = [];
  if (result.moved) parts.push(`${rdnPath(result.moved.from)} → ${rdnPath(result.moved.to)}`);
  const attributes = result.changes.map((c) => c.attribute).filter((a) => a !== 'userAccountControl');
  if (attributes.length > 0) parts.push(attributes.join(', '));
  return [entry.cause.classification, ...parts].filter(Boolean).join(': ');
}

/** A DN's OU path without the domain: `OU=London,OU=Users`. */
function rdnPath(dn: string): string {
  const parent = tryParseDn(dn)?.slice(1) ?? [];
  return formatDn(parent.filter((rdn) => rdn.type.toUpperCase() !== 'DC'));
}

const counts = (record: Readonly<Record<string, number>>, keys?: readonly string[]) =>
  (keys ?? Object.keys(record))
    .filter((k) => (record[k] ?? 0) > 0 || keys !== undefined)
    .map((k) => `${record[k] ?? 0} ${k}`)
    .join(', ');

function whyScheduled(step: ScheduledStep): string {
  return step.redelivery === undefined ? step.purpose : 'again: the manager is not in the directory yet';
}

/** The summary as text; every HR-derived value goes through displayText (no forged lines). */
export function renderSummary(summary: SyncSummary): string {
  const lines: string[] = [];
  for (const c of summary.cycles) {
    lines.push(
      `Cycle ${c.cycleId} (source ${c.sourceId}): ${c.status}${c.reason ? ` — ${displayText(c.reason)}` : ''}`,
    );
    const { quarantined: _q, held: _h, plans: _p, scheduled: _s, ...classified } = c.counts;
    if (Object.keys(classified).length > 0) lines.push(`  planned: ${counts(classified)}`);
  }
  for (const id of summary.unchanged) lines.push(`Cycle ${id}: the source has not changed since the last sync`);
  lines.push(`Applied: ${counts(summary.effects, EFFECTS.slice(0, 6))}`);
  if (summary.effects['no-change']) lines.push(`  already as desired: ${summary.effects['no-change']}`);
  for (const f of summary.failures)
    lines.push(`  FAILED ${displayText(f.workerKey)} ${f.action}: ${displayText(f.detail)}`);
  for (const c of summary.changes)
    lines.push(`  ${displayText(c.workerKey).padEnd(10)} ${c.effect.padEnd(9)} ${displayText(c.detail)}`);
  lines.push(`Scheduled for later: ${summary.scheduled.length}`);
  for (const s of summary.scheduled)
    lines.push(`  ${s.dueAt}  ${displayText(s.workerKey).padEnd(16)} ${s.kind} (${whyScheduled(s)})`);
  const held = summary.cycles.filter((c) => c.status === 'held');
  for (const c of held)
    lines.push(
      `Held: cycle ${c.cycleId}, ${c.heldPlanIds.length} destructive plan(s) wait for approval: hr2ad approve ${c.cycleId}`,
    );
  lines.push(`Quarantined: ${summary.quarantined.length}`);
  for (const q of summary.quarantined) {
    const reasons = q.issues.map((i) => `${displayText(i.path)}: ${displayText(i.message)}`).join('; ');
    lines.push(`  ${displayText(q.workerKey)} (${displayText(q.location)}): ${reasons}`);
  }
  return `${lines.join('\n')}\n`;
}
