/**
 * The planner's data: what hr2ad remembers about each worker between cycles, the plans it makes, and
 * the per-worker outcome of a cycle. All of it is plain JSON-compatible data: it is stored, shown in
 * previews, executed by orchestrations and kept in the audit log as it is.
 */
import type {
  AttributeMap,
  AttributeValue,
  DirectoryCommandInput,
  MatchKey,
  UniqueValueCandidates,
} from '../protocol/commands';
import type { WorkerIssue } from '../worker/validate-worker';
import type { Worker } from '../worker/worker-schema';

type Envelope = 'protocol' | 'commandId' | 'workerKey' | 'sequence' | 'issuedAt' | 'expiresAt';

/** A command without its envelope. */
export type CommandIntent = DirectoryCommandInput extends infer C
  ? C extends DirectoryCommandInput
    ? Omit<C, Envelope>
    : never
  : never;

/** What the planner decided a worker's change is. */
export const CLASSIFICATIONS = [
  'joiner',
  'pre-hire',
  'mover',
  'leaver',
  'rehire',
  'conversion',
  'rescinded-hire',
  'name-change',
  'no-op',
  'out-of-scope',
  'invalid',
] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/**
 * Where a worker's account stands in its lifecycle once the plan has run:
 * `none` (no account yet), `pre-hire` (exists, disabled until the start), `active`, `terminated`
 * (disabled, usually in the disabled-users OU), `deleted`, `rescinded` (hire cancelled) and
 * `unmanaged` (out of scope: hr2ad no longer changes the account).
 */
export type LifecyclePhase = 'none' | 'pre-hire' | 'active' | 'terminated' | 'deleted' | 'rescinded' | 'unmanaged';

/** How the account should look: the content of an UpsertAccount without the envelope. */
export interface DesiredAccount {
  /** Match keys in precedence order (a reused account's former keys last). */
  readonly match: readonly MatchKey[];
  /** The OU the account should be in (the disabled-users OU for leavers). */
  readonly parentOu: string;
  readonly enabled: boolean;
  readonly attributes: { readonly always: AttributeMap; readonly onCreate: AttributeMap };
  readonly unique: UniqueValueCandidates;
  /** The manager's match key; null clears it; undefined leaves the manager alone (manager "ignore"). */
  readonly manager?: MatchKey | null;
  /** Managed groups the account should be in (DNs from the group rules). */
  readonly groups: readonly string[];
}

/** The directory state a plan leads to. */
export interface DesiredState {
  readonly phase: LifecyclePhase;
  /** Null when no account should exist. */
  readonly account: DesiredAccount | null;
}

/** Values the agent chose or reported, recorded from command results. */
export interface AccountIdentifiers {
  readonly sAMAccountName?: string;
  readonly userPrincipalName?: string;
  readonly cn?: string;
  readonly mail?: string;
  readonly objectGUID?: string;
  readonly dn?: string;
}

/** A step of the plan in force, as remembered (the command itself is in the plan record). */
export interface PlanStepRecord {
  readonly index: number;
  readonly commandId: string;
  readonly kind: DirectoryCommandInput['kind'];
  /** ISO instant (UTC). */
  readonly dueAt: string;
  readonly sequence: number;
  /** Content hash of the command without its envelope: equal fingerprints, equal intent. */
  readonly fingerprint: string;
}

export interface PlanInForce {
  readonly planId: string;
  readonly createdAt: string;
  readonly steps: readonly PlanStepRecord[];
}

/**
 * What hr2ad stored about a worker after the previous cycle. The next cycle plans against it.
 */
export interface LastKnownState {
  readonly workerKey: string;
  /** The last valid HR record. */
  readonly record: Worker;
  /** The directory state the plan in force leads to. */
  readonly desired: DesiredState;
  /**
   * When the account is planned to exist: from `createdAt` (the due time of the step that creates it)
   * until `deletedAt`. The planner cannot see the directory; these say what it has asked for.
   * `takenOverAt`: for an account taken over from a former worker still at work (a conversion with a new
   * id), the instant this worker's plan starts changing it; before that it is still the former worker's.
   */
  readonly existence: {
    readonly createdAt: string | null;
    readonly deletedAt: string | null;
    readonly takenOverAt?: string | null;
  };
  /** The account's chosen identifiers, as the agent reported them. */
  readonly identifiers: AccountIdentifiers;
  /** The last sequence number used for this worker's commands. */
  readonly sequence: number;
  readonly plan: PlanInForce | null;
  /** The configuration the state was planned under. */
  readonly configFingerprint: string;
  /** Match keys of an account this worker took over from an earlier worker key (rehire/conversion with a new id). */
  readonly formerMatch: readonly MatchKey[];
  /** Set when a later worker key took this worker's account over; such a state is never planned again. */
  readonly adoptedBy: string | null;
}

/** Why a step is in the plan. */
export type StepPurpose =
  | 'sync'
  | 'create'
  | 'enable-at-start'
  | 'effective-change'
  | 'disable-at-termination'
  | 'remove-groups'
  | 'delete-after-termination'
  | 'rescind'
  | 'out-of-scope';

export interface PlanStep {
  readonly index: number;
  /** ISO instant (UTC) when the step is due; the planning instant when already due. */
  readonly dueAt: string;
  /** True when due at planning time. */
  readonly immediate: boolean;
  readonly purpose: StepPurpose;
  /** The agent command, in protocol shape. */
  readonly command: DirectoryCommandInput;
  readonly fingerprint: string;
}

export interface Plan {
  /** Deterministic: derived from the worker key and the plan's content. */
  readonly planId: string;
  readonly workerKey: string;
  readonly createdAt: string;
  /** The plan in force this one replaces; its steps not yet executed are cancelled. */
  readonly supersedes: string | null;
  /** Command ids of the superseded plan that were not yet due (and so are cancelled). */
  readonly cancels: readonly string[];
  readonly steps: readonly PlanStep[];
}

/** One attribute's change between the stored desired state and the new one. */
export interface AttributeDiff {
  readonly attribute: string;
  readonly before: AttributeValue | undefined;
  readonly after: AttributeValue | undefined;
  /** `on-create` values do not change an existing account. */
  readonly apply: 'always' | 'on-create';
}

/** What changes between the last known desired state and the new one. */
export interface StateDiff {
  readonly phase?: { readonly before: LifecyclePhase | null; readonly after: LifecyclePhase };
  readonly account?: { readonly before: boolean; readonly after: boolean };
  readonly parentOu?: { readonly before: string | null; readonly after: string | null };
  readonly enabled?: { readonly before: boolean | null; readonly after: boolean | null };
  readonly manager?: { readonly before: MatchKey | null | undefined; readonly after: MatchKey | null | undefined };
  readonly groups?: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly match?: { readonly before: readonly MatchKey[]; readonly after: readonly MatchKey[] };
  readonly attributes: readonly AttributeDiff[];
}

/** What became of one worker in a cycle. */
export type PlanOutcome = 'planned' | 'unchanged' | 'held' | 'quarantined';

export interface WorkerPlanResult {
  readonly workerKey: string;
  readonly classification: Classification;
  /** What changed, e.g. `manager`, `department`, `terminationDate`, `parentOu`, `mapping`. */
  readonly details: readonly string[];
  readonly outcome: PlanOutcome;
  /** The new plan; null when nothing changes (or the worker is quarantined). */
  readonly plan: Plan | null;
  /** What to store once the plan is accepted (null when quarantined). */
  readonly nextState: LastKnownState | null;
  readonly diff: StateDiff;
  /** Why the worker is quarantined (or, for held plans, why held). */
  readonly issues: readonly WorkerIssue[];
  /**
   * What does not stop the plan but an administrator should see: a manager not in the snapshot, a later
   * unique-value candidate AD would refuse, characters the mapping stripped. Shown in the preview.
   */
  readonly warnings?: readonly WorkerIssue[];
  /** The worker's employment status now, as HR gives it (absent when the record is quarantined). */
  readonly employmentStatus?: string;
  /** The worker key whose account this worker reuses (rehire or conversion with a new id). */
  readonly reusesAccountOf?: string;
}
