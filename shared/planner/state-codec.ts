/**
 * What hr2ad remembers between cycles (`LastKnownState`, one per worker) as a versioned JSON document,
 * the one format a state store writes and `hr2ad preview --state` reads:
 *
 * ```json
 * { "kind": "hr2ad-state", "version": 1, "states": [ { "workerKey": "workday:1001", … } ] }
 * ```
 *
 * Decoding never throws and names every problem by its path (`states.3.desired.phase`), like the
 * protocol's codec. A document of another version is refused as such, before its content is looked at,
 * so a newer store is never half-read by an older hr2ad. A change to the shape gets a new version.
 */
import { z } from 'zod';
import { attributeMap, matchKey, uniqueValueCandidates } from '../protocol/commands';
import { fail, issuesFromZod, ok, ROOT_PATH, type Issue, type Result } from '../util/result';
import { workerSchema } from '../worker/worker-schema';
import type { LastKnownState } from './types';

export const STATE_DOCUMENT_KIND = 'hr2ad-state';
/** The version this code writes and reads. */
export const STATE_VERSION = 1;
/** Where the document's JSON Schema is published (and its `$id`). */
export const STATE_SCHEMA_FILE = 'last-known-state.v1.schema.json';

const isoInstant = z.iso.datetime({ offset: true });
const LIFECYCLE_PHASES = ['none', 'pre-hire', 'active', 'terminated', 'deleted', 'rescinded', 'unmanaged'] as const;
const COMMAND_KINDS = ['UpsertAccount', 'DisableAccount', 'EnableAccount', 'DeleteAccount', 'LookupAccount'] as const;

const desiredAccount = z.strictObject({
  match: z.array(matchKey),
  parentOu: z.string().min(1),
  enabled: z.boolean(),
  attributes: z.strictObject({ always: attributeMap, onCreate: attributeMap }),
  unique: uniqueValueCandidates,
  manager: matchKey.nullable().optional(),
  groups: z.array(z.string().min(1)),
});

const planStepRecord = z.strictObject({
  index: z.number().int().nonnegative(),
  commandId: z.string().min(1),
  kind: z.enum(COMMAND_KINDS),
  dueAt: isoInstant,
  sequence: z.number().int().nonnegative(),
  fingerprint: z.string().min(1),
});

/** One worker's stored state (see `LastKnownState` for what each field means). */
export const lastKnownStateSchema = z.strictObject({
  workerKey: z.string().min(1),
  record: workerSchema,
  desired: z.strictObject({
    phase: z.enum(LIFECYCLE_PHASES),
    account: desiredAccount.nullable(),
  }),
  existence: z.strictObject({
    createdAt: isoInstant.nullable(),
    deletedAt: isoInstant.nullable(),
    takenOverAt: isoInstant.nullable().optional(),
  }),
  identifiers: z.strictObject({
    sAMAccountName: z.string().optional(),
    userPrincipalName: z.string().optional(),
    cn: z.string().optional(),
    mail: z.string().optional(),
    objectGUID: z.string().optional(),
    dn: z.string().optional(),
  }),
  sequence: z.number().int().nonnegative(),
  plan: z.strictObject({ planId: z.string().min(1), createdAt: isoInstant, steps: z.array(planStepRecord) }).nullable(),
  configFingerprint: z.string(),
  formerMatch: z.array(matchKey),
  adoptedBy: z.string().min(1).nullable(),
});

/** The document: kind and version first, so a reader can refuse what it does not know. */
export const stateDocumentSchema = z.strictObject({
  kind: z.literal(STATE_DOCUMENT_KIND),
  version: z.literal(STATE_VERSION),
  states: z.array(lastKnownStateSchema),
});

export interface StateDocument {
  readonly kind: typeof STATE_DOCUMENT_KIND;
  readonly version: typeof STATE_VERSION;
  readonly states: readonly LastKnownState[];
}

/** The document to store for `states` (in the order given). */
export function encodeStates(states: Iterable<LastKnownState>): StateDocument {
  return { kind: STATE_DOCUMENT_KIND, version: STATE_VERSION, states: [...states] };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

/** The envelope's problems, which make the content meaningless to look at. */
function envelopeIssues(value: unknown): Issue[] | null {
  const expected = `{"kind": "${STATE_DOCUMENT_KIND}", "version": ${STATE_VERSION}, "states": […]}`;
  if (Array.isArray(value))
    return [{ path: ROOT_PATH, message: `a bare list is not a state document; expected ${expected}` }];
  if (value === null || typeof value !== 'object')
    return [{ path: ROOT_PATH, message: `expected a state document ${expected}, got ${describe(value)}` }];
  const doc = value as Record<string, unknown>;
  if (doc.kind !== STATE_DOCUMENT_KIND)
    return [{ path: 'kind', message: `expected "${STATE_DOCUMENT_KIND}", got ${describe(doc.kind)}` }];
  if (doc.version !== STATE_VERSION) {
    const got = typeof doc.version === 'number' ? `version ${doc.version}` : `version ${describe(doc.version)}`;
    return [
      {
        path: 'version',
        message: `${got} is not supported: this hr2ad reads version ${STATE_VERSION} (a newer hr2ad wrote it?)`,
      },
    ];
  }
  return null;
}

/** Checks across states: one state per worker, and each under its own record's key. */
function crossStateIssues(states: readonly LastKnownState[]): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  states.forEach((state, i) => {
    const first = seen.get(state.workerKey);
    if (first !== undefined)
      issues.push({ path: `states.${i}.workerKey`, message: `${state.workerKey} is already at states.${first}` });
    else seen.set(state.workerKey, i);
  });
  return issues;
}

/** Reads a state document (already parsed from JSON). Never throws. */
export function decodeStates(value: unknown): Result<LastKnownState[]> {
  const envelope = envelopeIssues(value);
  if (envelope) return fail(envelope);
  const parsed = stateDocumentSchema.safeParse(value);
  if (!parsed.success) return fail(issuesFromZod(parsed.error));
  // Typed as the planner's own type: the schema and `LastKnownState` cannot drift apart unnoticed.
  const states: LastKnownState[] = parsed.data.states;
  const cross = crossStateIssues(states);
  return cross.length ? fail(cross) : ok(states);
}

/** The JSON Schema of the state document, for other tools and editors (published under schemas/). */
export function stateDocumentJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://hr2ad.dev/schemas/${STATE_SCHEMA_FILE}`,
    title: `hr2ad last known worker states (version ${STATE_VERSION})`,
    ...z.toJSONSchema(stateDocumentSchema, { io: 'input' }),
  };
}
