import {
  decodeCommand,
  type AttributeChange,
  type AttributeMap,
  type AttributeValue,
  type CommandResult,
  type DeleteAccount,
  type DirectoryCommand,
  type DisableAccount,
  type EnableAccount,
  type FollowingUniqueAttribute,
  type LookupAccount,
  type MatchKey,
  type PendingItem,
  type UpsertAccount,
} from '../../shared/protocol';
import { reservedAttributeReason } from '../../shared/directory/reserved-attributes';
import { checkAdAttributeValue } from '../../shared/directory/ad-attribute-rules';
import { childDn, dnEquals, formatDn, normalizeDn, parentOf, parseDn, type Dn } from '../../shared/directory/dn';
import { guidBase } from '../directory/ad-binary';
import { DirectoryError, type Directory, type DirectoryEntry, type Modification } from '../directory/directory.port';
import { and, eq, isUserAccount } from '../directory/ldap-filter';
import type { Logger } from '../../shared/ports/logger.port';
import { AccountSafety } from './account-safety';
import { ApplyFailure } from './apply-failure';
import { MatchIndex } from './match-index';
import { generateTemporaryPassword, type PasswordGenerator } from './password-generator';
import { UniqueValueProbe } from './unique-values';
import { UAC, UAC_NEW_ACCOUNT, isEnabled, isUnfinished, withEnabled } from './user-account-control';

/** Where the applier may act and how it finds accounts. */
export interface ApplierPolicy {
  /** The domain naming context, e.g. `DC=corp,DC=example,DC=test`; uniqueness is checked across it. */
  domainDn: string;
  /** The agent acts only on objects under these OUs, whatever a command says. */
  allowedOus: readonly string[];
  /** Subtrees searched when matching accounts (default: the whole domain, so a match outside the allowed OUs is refused rather than duplicated). */
  matchScope?: readonly string[];
  /** Match attributes AD does not index, kept in the agent's index (default employeeID, employeeNumber). */
  indexedMatchAttributes?: readonly string[];
}

export interface ApplierDependencies {
  directory: Directory;
  policy: ApplierPolicy;
  logger: Logger;
  /** The clock (commands expire). */
  now: () => Date;
  generatePassword?: PasswordGenerator;
}

const ACCOUNT_ATTRIBUTES = [
  'objectGUID',
  'objectSid',
  'cn',
  'sAMAccountName',
  'userPrincipalName',
  'mail',
  'userAccountControl',
  'adminCount',
  'manager',
  'memberOf',
  'pwdLastSet',
  'displayName',
];

type Values = readonly string[];

/** Empty string, empty list and null all mean "no value": AD rejects empty strings. */
function toValues(value: AttributeValue | undefined): string[] {
  if (value === null || value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}

function fromValues(values: Values | undefined): AttributeValue {
  if (!values || values.length === 0) return null;
  return values.length === 1 ? values[0]! : [...values];
}

function sameValues(a: Values, b: Values): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 1) return a[0] === b[0];
  const set = new Set(a);
  return b.every((v) => set.has(v));
}

const lower = (s: string) => s.toLowerCase();

interface Outcome {
  dn: string;
  objectGUID: string;
  created: boolean;
  deleted: boolean;
  changes: AttributeChange[];
  moved?: { from: string; to: string };
  chosen: Record<string, string>;
  groupsAdded: string[];
  groupsRemoved: string[];
  pending: PendingItem[];
}

/**
 * Applies directory commands with AD semantics: reads the account, computes the smallest set of LDAP
 * operations that make it look as the command says, applies them, and reports what changed. Applying
 * a command again changes nothing and reports NoChange.
 */
export class DirectoryApplier {
  private readonly directory: Directory;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly generatePassword: PasswordGenerator;
  private readonly safety: AccountSafety;
  private readonly unique: UniqueValueProbe;
  private readonly index: MatchIndex;
  private readonly matchScope: readonly string[];

  constructor(deps: ApplierDependencies) {
    this.directory = deps.directory;
    this.logger = deps.logger;
    this.now = deps.now;
    this.generatePassword = deps.generatePassword ?? generateTemporaryPassword;
    this.safety = new AccountSafety(deps.directory, deps.policy.allowedOus, deps.policy.domainDn);
    this.unique = new UniqueValueProbe(deps.directory, deps.policy.domainDn);
    this.matchScope = deps.policy.matchScope ?? [deps.policy.domainDn];
    this.index = new MatchIndex(
      deps.directory,
      this.matchScope,
      new Set((deps.policy.indexedMatchAttributes ?? ['employeeID', 'employeeNumber']).map(lower)),
    );
  }

  /** Decodes and applies a payload as received from the queue; malformed input becomes a Failed result. */
  async applyPayload(payload: unknown): Promise<CommandResult> {
    const decoded = decodeCommand(payload);
    if (!decoded.ok) {
      const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
      return {
        kind: 'Failed',
        commandId: typeof p.commandId === 'string' ? p.commandId : '',
        workerKey: typeof p.workerKey === 'string' ? p.workerKey : '',
        sequence: typeof p.sequence === 'number' ? p.sequence : -1,
        code: decoded.code,
        retryable: false,
        message: decoded.message,
        ...(decoded.issues[0] ? { field: decoded.issues[0].path } : {}),
      };
    }
    return this.apply(decoded.value);
  }

  async apply(command: DirectoryCommand): Promise<CommandResult> {
    const envelope = { commandId: command.commandId, workerKey: command.workerKey, sequence: command.sequence };
    try {
      if (Date.parse(command.expiresAt) <= this.now().getTime()) {
        throw new ApplyFailure('Expired', `command expired at ${command.expiresAt}`, 'expiresAt');
      }
      if (command.kind === 'LookupAccount')
        return { kind: 'LookedUp', ...envelope, account: await this.lookup(command) };
      const outcome = await this.dispatch(command);
      if (!outcome) return { kind: 'NoChange', ...envelope, pending: [] };
      const changed =
        outcome.created ||
        outcome.deleted ||
        outcome.changes.length > 0 ||
        outcome.moved !== undefined ||
        outcome.groupsAdded.length > 0 ||
        outcome.groupsRemoved.length > 0;
      if (!changed) {
        return {
          kind: 'NoChange',
          ...envelope,
          dn: outcome.dn,
          objectGUID: outcome.objectGUID,
          pending: outcome.pending,
        };
      }
      this.logger.info('applied', {
        commandId: command.commandId,
        kind: command.kind,
        dn: outcome.dn,
        created: outcome.created,
        changed: outcome.changes.map((c) => c.attribute),
      });
      return { kind: 'Applied', ...envelope, ...outcome };
    } catch (error) {
      const failure =
        error instanceof ApplyFailure || error instanceof DirectoryError
          ? error
          : new ApplyFailure('Unexpected', `unexpected failure: ${(error as Error)?.message ?? String(error)}`);
      this.logger.warn('command failed', {
        commandId: command.commandId,
        kind: command.kind,
        code: failure.code,
        message: failure.message,
      });
      return {
        kind: 'Failed',
        ...envelope,
        code: failure.code,
        retryable: failure.retryable,
        message: failure.message,
        ...(failure instanceof ApplyFailure && failure.field ? { field: failure.field } : {}),
      };
    }
  }

  private dispatch(command: Exclude<DirectoryCommand, LookupAccount>): Promise<Outcome | undefined> {
    switch (command.kind) {
      case 'UpsertAccount':
        return this.upsert(command);
      case 'DisableAccount':
        return this.setEnabled(command, false);
      case 'EnableAccount':
        return this.setEnabled(command, true);
      case 'DeleteAccount':
        return this.remove(command);
    }
  }

  async close(): Promise<void> {
    await this.directory.close();
  }

  // ---------------------------------------------------------------- matching

  private async readByGuid(guid: string, attributes: readonly string[]): Promise<DirectoryEntry | undefined> {
    const [entry] = await this.directory.search({
      base: guidBase(guid),
      scope: 'base',
      filter: '(objectClass=*)',
      attributes,
    });
    return entry;
  }

  /** Accounts holding this key, read with `attributes`. */
  private async findByKey(key: MatchKey, wanted: readonly string[]): Promise<DirectoryEntry[]> {
    const attributes = wanted.includes(key.attribute) ? wanted : [...wanted, key.attribute];
    if (!this.index.covers(key.attribute)) {
      const found: DirectoryEntry[] = [];
      for (const base of this.matchScope) {
        found.push(
          ...(await this.directory.search({
            base,
            scope: 'sub',
            filter: and(isUserAccount, eq(key.attribute, key.value)),
            attributes,
          })),
        );
      }
      return found;
    }
    await this.index.refresh();
    const found: DirectoryEntry[] = [];
    for (const guid of this.index.lookup(key.attribute, key.value)) {
      const entry = await this.readByGuid(guid, attributes);
      const current = entry?.attributes[lower(key.attribute)]?.[0];
      const inScope = entry && this.matchScope.some((base) => normalizeDn(entry.dn).endsWith(normalizeDn(base)));
      if (!entry || !inScope || current === undefined || lower(current) !== lower(key.value)) {
        // Deleted or moved out of scope since indexed: AD's uSNChanged search does not show either.
        this.index.forget(guid);
        continue;
      }
      found.push(entry);
    }
    return found;
  }

  /** The account the keys designate: the first key that finds anything decides; two finds are refused. */
  private async match(keys: readonly MatchKey[], extra: readonly string[]): Promise<DirectoryEntry | undefined> {
    const attributes = [...new Set([...ACCOUNT_ATTRIBUTES, ...keys.map((k) => k.attribute), ...extra])];
    for (const [i, key] of keys.entries()) {
      const found = await this.findByKey(key, attributes);
      if (found.length > 1) {
        throw new ApplyFailure(
          'AmbiguousMatch',
          `match[${i}] ${key.attribute}=${key.value} matches ${found.length} accounts: ${found.map((e) => e.dn).join('; ')}`,
          `match[${i}]`,
        );
      }
      if (found.length === 1) return found[0];
    }
    return undefined;
  }

  private recordInIndex(guid: string, dn: string, attributes: Readonly<Record<string, Values>>): void {
    this.index.record(guid, dn, (a) => attributes[a]?.[0]);
  }

  // ---------------------------------------------------------------- validation

  private validateAttributes(map: AttributeMap, field: string): void {
    for (const [attribute, value] of Object.entries(map)) {
      if (reservedAttributeReason(attribute) !== undefined) {
        throw new ApplyFailure(
          'InvalidValue',
          `${field}.${attribute}: set through the command's own fields, not as an attribute`,
          `${field}.${attribute}`,
        );
      }
      for (const v of toValues(value)) this.check(attribute, v, `${field}.${attribute}`);
    }
  }

  private check(attribute: string, value: string, field: string): void {
    const problem = checkAdAttributeValue(attribute, value);
    if (problem) throw new ApplyFailure('InvalidValue', `${field}: ${problem}`, field);
  }

  private validateUpsert(command: UpsertAccount): void {
    this.validateAttributes(command.attributes.always, 'attributes.always');
    this.validateAttributes(command.attributes.onCreate, 'attributes.onCreate');
    const mailMapped = 'mail' in command.attributes.always || 'mail' in command.attributes.onCreate;
    if (command.unique.mail && mailMapped) {
      throw new ApplyFailure(
        'InvalidValue',
        'attributes: mail is chosen from unique.mail and may not also be mapped',
        'attributes.mail',
      );
    }
    for (const attribute of ['sAMAccountName', 'userPrincipalName', 'cn', 'mail'] as const) {
      for (const [i, candidate] of (command.unique[attribute] ?? []).entries()) {
        this.check(attribute, candidate, `unique.${attribute}[${i}]`);
      }
    }
  }

  // ---------------------------------------------------------------- upsert

  private async upsert(command: UpsertAccount): Promise<Outcome> {
    this.validateUpsert(command);
    const parent = this.safety.requireAllowed(command.parentOu, 'parentOu');
    const attributeNames = [...Object.keys(command.attributes.always), ...Object.keys(command.attributes.onCreate)];
    const account = await this.match(command.match, attributeNames);
    if (!account) return this.create(command, parent);
    await this.safety.requireUnprotected(account);
    return this.update(command, account, parent);
  }

  private async requireParent(parent: Dn, field: string): Promise<void> {
    const [entry] = await this.directory.search({
      base: formatDn(parent),
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['objectClass'],
    });
    if (!entry) throw new ApplyFailure('ParentNotFound', `${field}: ${formatDn(parent)} does not exist`, field);
  }

  private async firstFree(
    attribute: 'sAMAccountName' | 'userPrincipalName' | 'mail',
    candidates: readonly string[],
    isFree: (value: string) => Promise<boolean>,
  ): Promise<string> {
    for (const candidate of candidates) if (await isFree(candidate)) return candidate;
    throw new ApplyFailure(
      'UniqueValuesExhausted',
      `unique.${attribute}: all ${candidates.length} candidates are taken (${candidates.join(', ')})`,
      `unique.${attribute}`,
    );
  }

  private async firstFreeCn(candidates: readonly string[], parentDn: string, exceptGuid?: string): Promise<string> {
    for (const candidate of candidates) if (await this.unique.cnFree(candidate, parentDn, exceptGuid)) return candidate;
    throw new ApplyFailure(
      'UniqueValuesExhausted',
      `unique.cn: all ${candidates.length} candidates are taken in ${parentDn} (${candidates.join(', ')})`,
      'unique.cn',
    );
  }

  /**
   * The new values of the unique attributes in `unique.follow` whose current value is no longer one of the
   * candidates (a current value that still is stays: no churn). Probes exclude the account itself.
   */
  private async followingUniqueValues(
    command: UpsertAccount,
    account: DirectoryEntry,
    guid: string,
  ): Promise<Array<{ attribute: FollowingUniqueAttribute; before: string | null; after: string }>> {
    const renames = await Promise.all(
      (command.unique.follow ?? []).map(async (attribute) => {
        const candidates = command.unique[attribute] ?? [];
        const current = account.attributes[lower(attribute)]?.[0];
        if (candidates.length === 0 || (current !== undefined && candidates.includes(current))) return undefined;
        const after = await this.firstFree(attribute, candidates, (v) => this.isFree(attribute, v, guid));
        return { attribute, before: current ?? null, after };
      }),
    );
    return renames.filter((r) => r !== undefined);
  }

  private isFree(attribute: FollowingUniqueAttribute, value: string, exceptGuid?: string): Promise<boolean> {
    switch (attribute) {
      case 'sAMAccountName':
        return this.unique.samAccountNameFree(value, exceptGuid);
      case 'userPrincipalName':
        return this.unique.userPrincipalNameFree(value, exceptGuid);
      case 'mail':
        return this.unique.mailFree(value, exceptGuid);
    }
  }

  private async resolveManager(command: UpsertAccount, pending: PendingItem[]): Promise<string | null | undefined> {
    if (command.manager === undefined) return undefined;
    if (command.manager === null) return null;
    const found = await this.findByKey(command.manager, ['objectGUID']);
    if (found.length > 1) {
      throw new ApplyFailure(
        'AmbiguousMatch',
        `manager: ${command.manager.attribute}=${command.manager.value} matches ${found.length} accounts`,
        'manager',
      );
    }
    if (found.length === 0) {
      // Not an error: the manager may be a joiner not created yet. The result says so; a later delivery sets it.
      pending.push({ kind: 'ManagerNotFound', attribute: command.manager.attribute, value: command.manager.value });
      return undefined;
    }
    return found[0]!.dn;
  }

  private async create(command: UpsertAccount, parent: Dn): Promise<Outcome> {
    const parentDn = formatDn(parent);
    const groups = await this.checkedGroups(command);
    const pending: PendingItem[] = [];
    const managerDn = await this.resolveManager(command, pending);

    // Another writer can take a value between our check and our add: the directory then refuses the add
    // and we choose again, at most a few times.
    for (let attempt = 1; ; attempt++) {
      // The unique values are independent: ask about them at the same time (ldapts multiplexes).
      const [sAMAccountName, userPrincipalName, cn, mail] = await Promise.all([
        this.firstFree('sAMAccountName', command.unique.sAMAccountName, (v) => this.unique.samAccountNameFree(v)),
        this.firstFree('userPrincipalName', command.unique.userPrincipalName, (v) =>
          this.unique.userPrincipalNameFree(v),
        ),
        this.firstFreeCn(command.unique.cn, parentDn),
        command.unique.mail ? this.firstFree('mail', command.unique.mail, (v) => this.unique.mailFree(v)) : undefined,
      ]);
      const chosen: Record<string, string> = { sAMAccountName, userPrincipalName, cn, ...(mail ? { mail } : {}) };

      const attributes: Record<string, string[]> = {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        sAMAccountName: [chosen.sAMAccountName!],
        userPrincipalName: [chosen.userPrincipalName!],
        userAccountControl: [String(UAC_NEW_ACCOUNT)],
      };
      if (chosen.mail) attributes.mail = [chosen.mail];
      for (const [name, value] of [
        ...Object.entries(command.attributes.onCreate),
        ...Object.entries(command.attributes.always),
      ]) {
        const values = toValues(value);
        if (values.length) attributes[name] = values;
      }
      if (managerDn) attributes.manager = [managerDn];
      const dn = childDn('CN', chosen.cn!, parentDn);
      try {
        await this.directory.add(dn, attributes);
      } catch (error) {
        if (error instanceof DirectoryError && error.code === 'AlreadyExists' && attempt < 3) {
          this.logger.warn('unique value taken concurrently; choosing again', {
            commandId: command.commandId,
            attempt,
          });
          continue;
        }
        // The add itself tells whether the parent exists: no extra read on the hot path.
        if (error instanceof DirectoryError && error.ldapCode === 32) {
          throw new ApplyFailure('ParentNotFound', `parentOu: ${parentDn} does not exist`, 'parentOu');
        }
        throw this.attributeFailure(error, attributes);
      }
      const [created] = await this.directory.search({
        base: dn,
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ACCOUNT_ATTRIBUTES,
      });
      if (!created) throw new ApplyFailure('Unexpected', `account ${dn} vanished right after it was added`);
      const guid = created.attributes.objectguid![0]!;
      this.recordInIndex(guid, dn, lowerKeys(attributes));
      const changes: AttributeChange[] = Object.entries(attributes)
        .filter(([name]) => name !== 'objectClass' && name !== 'userAccountControl')
        .map(([attribute, values]) => ({ attribute, before: null, after: fromValues(values) }));
      changes.push(...(await this.finishAccount(command, created)));
      const groupsAdded = await this.applyGroups(dn, [], groups);
      return {
        dn,
        objectGUID: guid,
        created: true,
        deleted: false,
        changes,
        chosen,
        groupsAdded,
        groupsRemoved: [],
        pending,
      };
    }
  }

  /** Maps a write failure caused by a value to the attribute at fault, when the directory names it. */
  private attributeFailure(error: unknown, attributes: Record<string, Values>): unknown {
    if (!(error instanceof DirectoryError) || !error.diagnostic) return error;
    const name = Object.keys(attributes).find((a) => new RegExp(`'${a}'|\\b${a}\\b`, 'i').test(error.diagnostic!));
    if (!name || error.retryable) return error;
    return new ApplyFailure(error.code, `${name}: ${error.message}`, name);
  }

  /**
   * Second and third steps of a create, also run for an account a crash left after the add: a generated
   * temporary password in its own modify (AD hashes it; over TLS only), then the desired enabled state
   * with pwdLastSet=0 so the password must be changed at first logon.
   */
  private async finishAccount(command: UpsertAccount, account: DirectoryEntry): Promise<AttributeChange[]> {
    const a = account.attributes;
    const avoid = [a.samaccountname?.[0] ?? '', a.displayname?.[0] ?? '', a.cn?.[0] ?? ''];
    const password = this.generatePassword(command.password.length, avoid);
    try {
      await this.directory.modify(account.dn, [{ operation: 'setPassword', password }]);
    } catch (error) {
      if (
        error instanceof DirectoryError &&
        (error.code === 'PasswordRejected' || error.code === 'ConstraintViolation')
      ) {
        throw new ApplyFailure(
          'PasswordRejected',
          `password: the directory's password policy refused the generated ${command.password.length}-character password (${error.diagnostic ?? error.message}); the account stays disabled and the next delivery retries`,
          'password',
        );
      }
      throw error;
    }
    const before = Number(a.useraccountcontrol?.[0] ?? UAC_NEW_ACCOUNT);
    const after = withEnabled(before, command.enabled);
    const pwdLastSet = command.password.mustChangeAtNextLogon ? '0' : '-1';
    await this.directory.modify(account.dn, [
      { operation: 'replace', attribute: 'userAccountControl', values: [String(after)] },
      { operation: 'replace', attribute: 'pwdLastSet', values: [pwdLastSet] },
    ]);
    return [
      { attribute: 'unicodePwd', before: null, after: '(generated temporary password)' },
      { attribute: 'userAccountControl', before: String(before), after: String(after) },
      { attribute: 'pwdLastSet', before: a.pwdlastset?.[0] ?? null, after: pwdLastSet },
    ];
  }

  private async checkedGroups(command: UpsertAccount): Promise<{ managed: string[]; desired: string[] } | undefined> {
    if (!command.groups) return undefined;
    for (const [i, dn] of command.groups.managed.entries())
      await this.safety.requireManageableGroup(dn, `groups.managed[${i}]`);
    return { managed: command.groups.managed, desired: command.groups.memberOf };
  }

  /** Adds and removes membership on the groups' `member`, only within the managed set. */
  private async applyGroups(
    dn: string,
    currentMemberOf: Values,
    groups: { managed: string[]; desired: string[] } | undefined,
  ) {
    if (!groups) return [];
    const current = new Set(currentMemberOf.map((g) => normalizeDn(g)));
    const added: string[] = [];
    for (const group of groups.desired) {
      if (current.has(normalizeDn(group))) continue;
      await this.directory.modify(group, [{ operation: 'add', attribute: 'member', values: [dn] }]);
      added.push(group);
    }
    return added;
  }

  private async removeGroups(
    dn: string,
    currentMemberOf: Values,
    groups: { managed: string[]; desired: string[] } | undefined,
  ) {
    if (!groups) return [];
    const desired = new Set(groups.desired.map((g) => normalizeDn(g)));
    const managed = new Set(groups.managed.map((g) => normalizeDn(g)));
    const removed: string[] = [];
    for (const group of currentMemberOf) {
      const key = normalizeDn(group);
      if (!managed.has(key) || desired.has(key)) continue;
      await this.directory.modify(group, [{ operation: 'delete', attribute: 'member', values: [dn] }]);
      removed.push(group);
    }
    return removed;
  }

  private async update(command: UpsertAccount, account: DirectoryEntry, parent: Dn): Promise<Outcome> {
    const a = account.attributes;
    const guid = a.objectguid![0]!;
    const pending: PendingItem[] = [];
    const changes: AttributeChange[] = [];
    let dn = account.dn;
    let created = false;
    // Every refusal comes before the first write, so a refused command leaves the account untouched.
    const groups = await this.checkedGroups(command);
    const managerDn = await this.resolveManager(command, pending);

    if (isUnfinished(Number(a.useraccountcontrol?.[0] ?? 0))) {
      // A create interrupted after its add: finish it now instead of creating a second account.
      changes.push(...(await this.finishAccount(command, account)));
      created = true;
    }

    // Attributes that follow HR: replace what differs, delete what HR emptied; on-create ones never.
    const modifications: Modification[] = [];
    for (const [attribute, value] of Object.entries(command.attributes.always)) {
      const desired = toValues(value);
      const current = a[lower(attribute)] ?? [];
      if (sameValues(desired, current)) continue;
      modifications.push(
        desired.length ? { operation: 'replace', attribute, values: desired } : { operation: 'delete', attribute },
      );
      changes.push({ attribute, before: fromValues(current), after: fromValues(desired) });
    }
    const currentManager = a.manager?.[0];
    if (managerDn === null && currentManager) {
      modifications.push({ operation: 'delete', attribute: 'manager' });
      changes.push({ attribute: 'manager', before: currentManager, after: null });
    } else if (managerDn && !(currentManager && dnEquals(currentManager, managerDn))) {
      modifications.push({ operation: 'replace', attribute: 'manager', values: [managerDn] });
      changes.push({ attribute: 'manager', before: currentManager ?? null, after: managerDn });
    }
    const chosen: Record<string, string> = {};
    // Unique values that follow their candidates (protocol 2), written with the attributes: another writer
    // can take a value between our check and our write, and then we choose again, at most a few times.
    for (let attempt = 1; ; attempt++) {
      const renames = await this.followingUniqueValues(command, account, guid);
      const all: Modification[] = [
        ...modifications,
        ...renames.map((r): Modification => ({ operation: 'replace', attribute: r.attribute, values: [r.after] })),
      ];
      if (all.length === 0) break;
      try {
        await this.directory.modify(dn, all);
      } catch (error) {
        if (error instanceof DirectoryError && error.code === 'AlreadyExists' && renames.length && attempt < 3) {
          this.logger.warn('unique value taken concurrently; choosing again', {
            commandId: command.commandId,
            attempt,
          });
          continue;
        }
        throw this.attributeFailure(
          error,
          Object.fromEntries(all.map((m) => [m.operation === 'setPassword' ? 'unicodePwd' : m.attribute, []])),
        );
      }
      for (const r of renames) {
        changes.push(r);
        chosen[r.attribute] = r.after;
      }
      break;
    }

    // Move to the target OU and rename when the cn should change (a current cn among the candidates stays).
    const currentCn = a.cn?.[0] ?? parseDn(dn)[0]!.value;
    const keepCn = command.unique.cn.some((c) => c === currentCn);
    const sameParent = dnEquals(parentOf(dn), parent);
    let moved: Outcome['moved'];
    if (!sameParent || !keepCn) {
      await this.requireParent(parent, 'parentOu');
      const parentDn = formatDn(parent);
      const cn =
        keepCn && (await this.unique.cnFree(currentCn, parentDn, guid))
          ? currentCn
          : await this.firstFreeCn(command.unique.cn, parentDn, guid);
      const newDn = childDn('CN', cn, parentDn);
      if (!dnEquals(newDn, dn)) {
        await this.directory.move(dn, newDn);
        moved = { from: dn, to: newDn };
        if (cn !== currentCn) {
          changes.push({ attribute: 'cn', before: currentCn, after: cn });
          chosen.cn = cn;
        }
        dn = newDn;
      }
    }

    if (!created) {
      const uac = Number(a.useraccountcontrol?.[0] ?? UAC.NORMAL_ACCOUNT);
      const desired = withEnabled(uac, command.enabled);
      if (isEnabled(uac) !== command.enabled) {
        await this.directory.modify(dn, [
          { operation: 'replace', attribute: 'userAccountControl', values: [String(desired)] },
        ]);
        changes.push({ attribute: 'userAccountControl', before: String(uac), after: String(desired) });
      }
    }

    const memberOf = a.memberof ?? [];
    const groupsRemoved = await this.removeGroups(dn, memberOf, groups);
    const groupsAdded = await this.applyGroups(dn, memberOf, groups);

    const finalAttributes: Record<string, Values> = { ...lowerKeys(a) };
    for (const [attribute, value] of Object.entries(command.attributes.always))
      finalAttributes[lower(attribute)] = toValues(value);
    for (const [attribute, value] of Object.entries(chosen)) finalAttributes[lower(attribute)] = [value];
    this.recordInIndex(guid, dn, finalAttributes);
    return {
      dn,
      objectGUID: guid,
      created,
      deleted: false,
      changes,
      ...(moved ? { moved } : {}),
      chosen,
      groupsAdded,
      groupsRemoved,
      pending,
    };
  }

  // ---------------------------------------------------------------- disable / enable / delete / lookup

  private async requireAccount(command: DisableAccount | EnableAccount | DeleteAccount): Promise<DirectoryEntry> {
    const account = await this.match(command.match, []);
    if (!account) {
      const keys = command.match.map((k) => `${k.attribute}=${k.value}`).join(', ');
      throw new ApplyFailure('AccountNotFound', `match: no account matches ${keys}`, 'match');
    }
    await this.safety.requireUnprotected(account);
    return account;
  }

  private async setEnabled(command: DisableAccount | EnableAccount, enabled: boolean): Promise<Outcome> {
    const target = command.moveTo ? this.safety.requireAllowed(command.moveTo, 'moveTo') : undefined;
    const account = await this.requireAccount(command);
    const a = account.attributes;
    const guid = a.objectguid![0]!;
    const changes: AttributeChange[] = [];
    let dn = account.dn;
    let moved: Outcome['moved'];

    const uac = Number(a.useraccountcontrol?.[0] ?? UAC.NORMAL_ACCOUNT);
    // Enabling an account that never got its password would open it without one: refuse.
    if (enabled && isUnfinished(uac)) {
      throw new ApplyFailure(
        'UnwillingToPerform',
        `account ${dn} has no password yet; deliver its UpsertAccount first`,
        'match',
      );
    }
    if (isEnabled(uac) !== enabled) {
      const desired = withEnabled(uac, enabled);
      await this.directory.modify(dn, [
        { operation: 'replace', attribute: 'userAccountControl', values: [String(desired)] },
      ]);
      changes.push({ attribute: 'userAccountControl', before: String(uac), after: String(desired) });
    }
    if (target && !dnEquals(parentOf(dn), target)) {
      await this.requireParent(target, 'moveTo');
      const cn = a.cn?.[0] ?? parseDn(dn)[0]!.value;
      const targetDn = formatDn(target);
      // A same-named account may already sit in the target OU; the GUID's start keeps the name unique and stable.
      const name = (await this.unique.cnFree(cn, targetDn, guid)) ? cn : `${cn.slice(0, 55)} ${guid.slice(0, 8)}`;
      const newDn = childDn('CN', name, targetDn);
      await this.directory.move(dn, newDn);
      moved = { from: dn, to: newDn };
      dn = newDn;
    }
    this.recordInIndex(guid, dn, lowerKeys(a));
    return {
      dn,
      objectGUID: guid,
      created: false,
      deleted: false,
      changes,
      ...(moved ? { moved } : {}),
      chosen: {},
      groupsAdded: [],
      groupsRemoved: [],
      pending: [],
    };
  }

  private async remove(command: DeleteAccount): Promise<Outcome | undefined> {
    const account = await this.match(command.match, []);
    if (!account) return undefined; // already gone: a delete delivered twice changes nothing
    await this.safety.requireUnprotected(account);
    const guid = account.attributes.objectguid![0]!;
    await this.directory.delete(account.dn);
    this.index.forget(guid);
    return {
      dn: account.dn,
      objectGUID: guid,
      created: false,
      deleted: true,
      changes: [],
      chosen: {},
      groupsAdded: [],
      groupsRemoved: [],
      pending: [],
    };
  }

  private async lookup(command: LookupAccount) {
    const account = await this.match(command.match, command.attributes);
    if (!account) return null;
    this.safety.requireAllowed(account.dn, 'account');
    const attributes: Record<string, AttributeValue> = {};
    for (const name of command.attributes) attributes[name] = fromValues(account.attributes[lower(name)]);
    return {
      dn: account.dn,
      objectGUID: account.attributes.objectguid![0]!,
      enabled: isEnabled(Number(account.attributes.useraccountcontrol?.[0] ?? 0)),
      attributes,
    };
  }
}

function lowerKeys(attributes: Readonly<Record<string, Values>>): Record<string, Values> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [lower(k), v]));
}
