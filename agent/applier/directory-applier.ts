import { dnEquals, formatDn, parentOf, type Dn } from '../../shared/directory/dn';
import type { Logger } from '../../shared/ports/logger.port';
import {
  decodeCommand,
  type AttributeValue,
  type CommandResult,
  type DeleteAccount,
  type DirectoryCommand,
  type DisableAccount,
  type EnableAccount,
  type LookupAccount,
  type UpsertAccount,
} from '../../shared/protocol';
import type { Directory, DirectoryEntry } from '../directory/directory.port';
import { AccountCreation } from './account-creation';
import { AccountUpdate } from './account-update';
import { currentCn, moveOf } from './account-diff';
import { AccountLookup, requireEntry } from './account-lookup';
import { AccountSafety } from './account-safety';
import { ApplyFailure } from './apply-failure';
import { fromValues, lower, lowerKeys } from './attribute-values';
import { validateUpsert } from './command-validation';
import { checkGroups, syncGroups } from './group-membership';
import { resolveManager } from './manager-resolution';
import { generateTemporaryPassword, type PasswordGenerator } from './password-generator';
import {
  asFailure,
  envelopeOf,
  failedResult,
  resultOf,
  unchanged,
  undecodableResult,
  type Outcome,
} from './result-building';
import { UniqueChoice, guidSuffixedCn } from './unique-choice';
import { UniqueValueProbe } from './unique-values';
import { UAC, enabledToggle, isEnabled, isUnfinished, uacOf } from './user-account-control';

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

/**
 * Applies directory commands with AD semantics: reads the account, computes the smallest set of LDAP
 * operations that make it look as the command says (`diffAccount`), applies them, and reports what
 * changed. Applying a command again changes nothing and reports NoChange. This class only coordinates:
 * every refusal comes before the first write, so a refused command leaves the account untouched.
 */
/** An account as `listAccounts` reports it. */
export interface ListedAccount {
  readonly dn: string;
  readonly objectGUID: string;
  readonly enabled: boolean;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

export class DirectoryApplier {
  private readonly directory: Directory;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly safety: AccountSafety;
  private readonly unique: UniqueChoice;
  private readonly accounts: AccountLookup;
  private readonly creation: AccountCreation;
  private readonly updater: AccountUpdate;
  private readonly allowedOus: readonly string[];

  constructor(deps: ApplierDependencies) {
    this.directory = deps.directory;
    this.logger = deps.logger;
    this.now = deps.now;
    this.allowedOus = deps.policy.allowedOus;
    this.safety = new AccountSafety(deps.directory, deps.policy.allowedOus, deps.policy.domainDn);
    this.unique = new UniqueChoice(new UniqueValueProbe(deps.directory, deps.policy.domainDn));
    this.accounts = new AccountLookup(
      deps.directory,
      deps.policy.matchScope ?? [deps.policy.domainDn],
      deps.policy.indexedMatchAttributes ?? ['employeeID', 'employeeNumber'],
    );
    this.creation = new AccountCreation(
      deps.directory,
      this.unique,
      deps.generatePassword ?? generateTemporaryPassword,
      deps.logger,
    );
    this.updater = new AccountUpdate({
      directory: deps.directory,
      safety: this.safety,
      unique: this.unique,
      accounts: this.accounts,
      creation: this.creation,
      logger: deps.logger,
    });
  }

  /** Decodes and applies a payload as received from the queue; malformed input becomes a Failed result. */
  async applyPayload(payload: unknown): Promise<CommandResult> {
    const decoded = decodeCommand(payload);
    return decoded.ok ? this.apply(decoded.value) : undecodableResult(payload, decoded);
  }

  async apply(command: DirectoryCommand): Promise<CommandResult> {
    const envelope = envelopeOf(command);
    try {
      if (Date.parse(command.expiresAt) <= this.now().getTime()) {
        throw new ApplyFailure('Expired', `command expired at ${command.expiresAt}`, 'expiresAt');
      }
      if (command.kind === 'LookupAccount')
        return { kind: 'LookedUp', ...envelope, account: await this.lookup(command) };
      const result = resultOf(envelope, await this.dispatch(command));
      if (result.kind === 'Applied') {
        this.logger.info('applied', {
          commandId: command.commandId,
          kind: command.kind,
          dn: result.dn,
          created: result.created,
          changed: result.changes.map((c) => c.attribute),
        });
      }
      return result;
    } catch (error) {
      const failure = asFailure(error);
      this.logger.warn('command failed', {
        commandId: command.commandId,
        kind: command.kind,
        code: failure.code,
        message: failure.message,
      });
      return failedResult(envelope, failure);
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

  // ---------------------------------------------------------------- upsert

  private async upsert(command: UpsertAccount): Promise<Outcome> {
    validateUpsert(command);
    const parent = this.safety.requireAllowed(command.parentOu, 'parentOu');
    const attributeNames = [...Object.keys(command.attributes.always), ...Object.keys(command.attributes.onCreate)];
    const account = await this.accounts.match(command.match, attributeNames);
    if (!account) return this.create(command, parent);
    await this.safety.requireUnprotected(account);
    return this.updater.update(command, account, parent);
  }

  private async create(command: UpsertAccount, parent: Dn): Promise<Outcome> {
    const groups = await checkGroups(command, this.safety);
    const manager = await resolveManager(command, this.accounts);
    const created = await this.creation.add(command, formatDn(parent), manager.dn);
    const { dn } = created.account;
    const guid = created.account.attributes.objectguid![0]!;
    this.accounts.record(guid, dn, lowerKeys(created.attributes));
    const changes = [...created.changes, ...(await this.creation.finish(command, created.account))];
    const { groupsAdded } = await syncGroups(this.directory, dn, [], groups);
    return {
      ...unchanged(dn, guid),
      created: true,
      changes,
      chosen: created.chosen,
      groupsAdded,
      pending: manager.pending,
    };
  }

  // ---------------------------------------------------------------- disable / enable / delete / lookup

  private async requireAccount(command: DisableAccount | EnableAccount | DeleteAccount): Promise<DirectoryEntry> {
    const account = await this.accounts.match(command.match, []);
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
    const uac = uacOf(a, UAC.NORMAL_ACCOUNT);
    // Enabling an account that never got its password would open it without one: refuse.
    if (enabled && isUnfinished(uac)) {
      throw new ApplyFailure(
        'UnwillingToPerform',
        `account ${account.dn} has no password yet; deliver its UpsertAccount first`,
        'match',
      );
    }
    const outcome = unchanged(account.dn, guid);
    const toggle = enabledToggle(uac, enabled);
    if (toggle) {
      await this.directory.modify(account.dn, [toggle.modification]);
      outcome.changes.push(toggle.change);
    }
    if (target && !dnEquals(parentOf(account.dn), target)) {
      await requireEntry(this.directory, target, 'moveTo');
      const current = currentCn(account);
      const parentDn = formatDn(target);
      const cn = await this.unique.cnInTarget({
        current,
        keep: true,
        candidates: [guidSuffixedCn(current, guid)],
        parentDn,
        exceptGuid: guid,
        field: 'moveTo',
      });
      const move = moveOf(account.dn, parentDn, cn);
      if (move) {
        await this.directory.move(move.from, move.to);
        outcome.moved = move;
        outcome.dn = move.to;
      }
    }
    this.accounts.record(guid, outcome.dn, lowerKeys(a));
    return outcome;
  }

  private async remove(command: DeleteAccount): Promise<Outcome | undefined> {
    const account = await this.accounts.match(command.match, []);
    if (!account) return undefined; // already gone: a delete delivered twice changes nothing
    await this.safety.requireUnprotected(account);
    const guid = account.attributes.objectguid![0]!;
    await this.directory.delete(account.dn);
    this.accounts.forget(guid);
    return { ...unchanged(account.dn, guid), deleted: true };
  }

  /**
   * Every user account under the allow-listed OUs (read only): what the go-live link report compares with
   * HR, to show accounts no worker matches. `attributes` are returned as the directory holds them.
   */
  async listAccounts(attributes: readonly string[]): Promise<ListedAccount[]> {
    const listed: ListedAccount[] = [];
    for (const base of this.allowedOus) {
      const entries = await this.directory.search({
        base,
        scope: 'sub',
        filter: '(&(objectClass=user)(!(objectClass=computer)))',
        attributes: ['objectGUID', 'userAccountControl', ...attributes],
      });
      for (const entry of entries) {
        const values: Record<string, AttributeValue> = {};
        for (const name of attributes) values[name] = fromValues(entry.attributes[lower(name)]);
        const objectGUID = entry.attributes.objectguid?.[0] ?? '';
        listed.push({ dn: entry.dn, objectGUID, enabled: isEnabled(uacOf(entry.attributes, 0)), attributes: values });
      }
    }
    return listed;
  }

  private async lookup(command: LookupAccount) {
    const account = await this.accounts.match(command.match, command.attributes);
    if (!account) return null;
    this.safety.requireAllowed(account.dn, 'account');
    const attributes: Record<string, AttributeValue> = {};
    for (const name of command.attributes) attributes[name] = fromValues(account.attributes[lower(name)]);
    return {
      dn: account.dn,
      objectGUID: account.attributes.objectguid![0]!,
      enabled: isEnabled(uacOf(account.attributes, 0)),
      attributes,
    };
  }
}
