import { childDn, dnEquals, formatDn, parentOf, parseDn, type Dn } from '../../shared/directory/dn';
import type { AttributeChange, FollowingUniqueAttribute, UpsertAccount } from '../../shared/protocol';
import type { DirectoryEntry, Modification } from '../directory/directory.port';
import { fromValues, lower, sameValues, toValues } from './attribute-values';
import { UAC, enabledToggle, uacOf, type EnabledToggle } from './user-account-control';

/**
 * The account diff: what an existing account needs so that it looks as an UpsertAccount says. Pure — no
 * I/O, no directory: the values only the directory can decide (the manager's DN, free unique values, a
 * free cn in the target OU) are asked for first, through `uniqueToChoose` and `placementOf`, and come in
 * as `AccountDiffInput`.
 */

/** The parts of an UpsertAccount the diff reads. */
export type DiffedCommand = Pick<UpsertAccount, 'attributes' | 'enabled' | 'unique'>;

/**
 * The attributes in `unique.follow` that need a new value: those whose current value is no longer one of
 * the candidates. A current value that still is stays, wherever it is in the list (no churn).
 */
export function uniqueToChoose(account: DirectoryEntry, command: DiffedCommand): FollowingUniqueAttribute[] {
  return (command.unique.follow ?? []).filter((attribute) => {
    const candidates = command.unique[attribute];
    if (!candidates?.length) return false;
    const current = account.attributes[lower(attribute)]?.[0];
    return current === undefined || !candidates.includes(current);
  });
}

/** Whether the account must move or be renamed, and whether its current cn may stay. */
export interface Placement {
  currentCn: string;
  /** The current cn is still one of the candidates: it stays if it is free in the target OU. */
  keepCn: boolean;
  parentDn: string;
}

/** The account's cn: the attribute, or the DN's first value when the attribute was not read. */
export function currentCn(account: DirectoryEntry): string {
  return account.attributes.cn?.[0] ?? parseDn(account.dn)[0]!.value;
}

/** undefined when the account already sits in `parent` under a cn that is still a candidate. */
export function placementOf(account: DirectoryEntry, command: DiffedCommand, parent: Dn): Placement | undefined {
  const cn = currentCn(account);
  const keepCn = command.unique.cn.some((c) => c === cn);
  if (keepCn && dnEquals(parentOf(account.dn), parent)) return undefined;
  return { currentCn: cn, keepCn, parentDn: formatDn(parent) };
}

/** The move (and/or rename) that puts the entry at `dn` under `cn` in `parentDn`; undefined when it is there. */
export function moveOf(dn: string, parentDn: string, cn: string): { from: string; to: string } | undefined {
  const to = childDn('CN', cn, parentDn);
  return dnEquals(to, dn) ? undefined : { from: dn, to };
}

export interface AccountDiffInput {
  /** The account as read (lower-cased attribute names). */
  account: DirectoryEntry;
  command: DiffedCommand;
  /** The manager's DN; null clears the manager; undefined leaves it alone. */
  managerDn: string | null | undefined;
  /** New values for the attributes `uniqueToChoose` named, as the directory allowed. */
  unique: Partial<Record<FollowingUniqueAttribute, string>>;
  /** Where the account belongs when `placementOf` said it moves: the target OU and the cn chosen there. */
  placement?: { parentDn: string; cn: string };
  /** The account was finished just now (an interrupted create): the finish set its enabled state. */
  finished: boolean;
}

export interface AccountDiff {
  /** One modify at the account's current DN: the always-attributes, the manager, the followed unique values. */
  modifications: Modification[];
  /** The move and/or rename, after the modify. */
  move?: { from: string; to: string };
  /** The enabled-state change, written after the move (at the new DN). */
  userAccountControl?: EnabledToggle;
  /** What the result reports, in the order of the writes. */
  changes: AttributeChange[];
  /** The unique values that changed (followed ones, a new cn). */
  chosen: Record<string, string>;
}

function attributeModifications(
  input: AccountDiffInput,
  changes: AttributeChange[],
  chosen: Record<string, string>,
): Modification[] {
  const a = input.account.attributes;
  const modifications: Modification[] = [];
  // Attributes that follow HR: replace what differs, delete what HR emptied; on-create ones never.
  for (const [attribute, value] of Object.entries(input.command.attributes.always)) {
    const desired = toValues(value);
    const current = a[lower(attribute)] ?? [];
    if (sameValues(desired, current)) continue;
    modifications.push(
      desired.length ? { operation: 'replace', attribute, values: desired } : { operation: 'delete', attribute },
    );
    changes.push({ attribute, before: fromValues(current), after: fromValues(desired) });
  }
  const currentManager = a.manager?.[0];
  if (input.managerDn === null && currentManager) {
    modifications.push({ operation: 'delete', attribute: 'manager' });
    changes.push({ attribute: 'manager', before: currentManager, after: null });
  } else if (input.managerDn && !(currentManager && dnEquals(currentManager, input.managerDn))) {
    modifications.push({ operation: 'replace', attribute: 'manager', values: [input.managerDn] });
    changes.push({ attribute: 'manager', before: currentManager ?? null, after: input.managerDn });
  }
  for (const attribute of input.command.unique.follow ?? []) {
    const value = input.unique[attribute];
    const current = a[lower(attribute)]?.[0];
    if (value === undefined || value === current) continue;
    modifications.push({ operation: 'replace', attribute, values: [value] });
    changes.push({ attribute, before: current ?? null, after: value });
    chosen[attribute] = value;
  }
  return modifications;
}

/** Directory entry + UpsertAccount (+ what the directory decided) → the writes that make them agree. */
export function diffAccount(input: AccountDiffInput): AccountDiff {
  const changes: AttributeChange[] = [];
  const chosen: Record<string, string> = {};
  const modifications = attributeModifications(input, changes, chosen);

  const move = input.placement && moveOf(input.account.dn, input.placement.parentDn, input.placement.cn);
  const cn = currentCn(input.account);
  if (move && input.placement && input.placement.cn !== cn) {
    changes.push({ attribute: 'cn', before: cn, after: input.placement.cn });
    chosen.cn = input.placement.cn;
  }

  const toggle = input.finished
    ? undefined
    : enabledToggle(uacOf(input.account.attributes, UAC.NORMAL_ACCOUNT), input.command.enabled);
  if (toggle) changes.push(toggle.change);
  return {
    modifications,
    ...(move ? { move } : {}),
    ...(toggle ? { userAccountControl: toggle } : {}),
    changes,
    chosen,
  };
}
