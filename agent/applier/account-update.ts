import type { Dn } from '../../shared/directory/dn';
import type { Logger } from '../../shared/ports/logger.port';
import type { UpsertAccount } from '../../shared/protocol';
import type { Directory, DirectoryEntry } from '../directory/directory.port';
import type { AccountCreation } from './account-creation';
import { diffAccount, placementOf, uniqueToChoose, type AccountDiff } from './account-diff';
import { requireEntry, type AccountLookup } from './account-lookup';
import type { AccountSafety } from './account-safety';
import { lower, lowerKeys, toValues, type Values } from './attribute-values';
import { checkGroups, syncGroups } from './group-membership';
import { resolveManager } from './manager-resolution';
import { unchanged, type Outcome } from './result-building';
import type { UniqueChoice } from './unique-choice';
import { isUnfinished, uacOf } from './user-account-control';
import { attributeFailure, isTakenConcurrently } from './write-failure';

/** How often an update chooses followed unique values again after another writer took one first. */
const UPDATE_ATTEMPTS = 3;

export interface AccountUpdateDependencies {
  directory: Directory;
  safety: AccountSafety;
  unique: UniqueChoice;
  accounts: AccountLookup;
  creation: AccountCreation;
  logger: Logger;
}

/**
 * Brings an existing account in line with an UpsertAccount: reads first (groups, manager, free unique
 * values, a free cn in the target OU), so every refusal comes before the first write; then the writes of
 * the pure `diffAccount` in order — the attributes in one modify, the move, the enabled state — and the
 * managed groups.
 */
export class AccountUpdate {
  private readonly directory: Directory;
  private readonly safety: AccountSafety;
  private readonly unique: UniqueChoice;
  private readonly accounts: AccountLookup;
  private readonly creation: AccountCreation;
  private readonly logger: Logger;

  constructor(deps: AccountUpdateDependencies) {
    this.directory = deps.directory;
    this.safety = deps.safety;
    this.unique = deps.unique;
    this.accounts = deps.accounts;
    this.creation = deps.creation;
    this.logger = deps.logger;
  }

  /** The diff, with the values only the directory can decide asked for first. */
  private async diff(
    command: UpsertAccount,
    account: DirectoryEntry,
    parent: Dn,
    managerDn: string | null | undefined,
    finished: boolean,
  ): Promise<AccountDiff> {
    const guid = account.attributes.objectguid![0]!;
    const move = placementOf(account, command, parent);
    const [unique, cn] = await Promise.all([
      this.unique.forUpdate(command, uniqueToChoose(account, command), guid),
      move &&
        requireEntry(this.directory, parent, 'parentOu').then(() =>
          this.unique.cnInTarget({
            current: move.currentCn,
            keep: move.keepCn,
            candidates: command.unique.cn,
            parentDn: move.parentDn,
            exceptGuid: guid,
            field: 'unique.cn',
          }),
        ),
    ]);
    return diffAccount({
      account,
      command,
      managerDn,
      unique,
      ...(move && cn !== undefined ? { placement: { parentDn: move.parentDn, cn } } : {}),
      finished,
    });
  }

  async update(command: UpsertAccount, account: DirectoryEntry, parent: Dn): Promise<Outcome> {
    const a = account.attributes;
    const guid = a.objectguid![0]!;
    const groups = await checkGroups(command, this.safety);
    const manager = await resolveManager(command, this.accounts);
    const unfinished = isUnfinished(uacOf(a, 0));
    let diff = await this.diff(command, account, parent, manager.dn, unfinished);

    // A create interrupted after its add: finish it now instead of creating a second account.
    const changes = unfinished ? await this.creation.finish(command, account) : [];
    for (let attempt = 1; diff.modifications.length > 0; attempt++) {
      try {
        await this.directory.modify(account.dn, diff.modifications);
        break;
      } catch (error) {
        // Another writer took a followed unique value between our check and our write: choose again.
        if (isTakenConcurrently(error) && Object.keys(diff.chosen).length > 0 && attempt < UPDATE_ATTEMPTS) {
          this.logger.warn('unique value taken concurrently; choosing again', {
            commandId: command.commandId,
            attempt,
          });
          diff = await this.diff(command, account, parent, manager.dn, unfinished);
          continue;
        }
        throw attributeFailure(
          error,
          diff.modifications.map((m) => (m.operation === 'setPassword' ? 'unicodePwd' : m.attribute)),
        );
      }
    }
    let dn = account.dn;
    if (diff.move) {
      await this.directory.move(diff.move.from, diff.move.to);
      dn = diff.move.to;
    }
    if (diff.userAccountControl) await this.directory.modify(dn, [diff.userAccountControl.modification]);
    changes.push(...diff.changes);

    const { groupsAdded, groupsRemoved } = await syncGroups(this.directory, dn, a.memberof ?? [], groups);
    this.accounts.record(guid, dn, this.afterUpdate(account, command, diff));
    return {
      ...unchanged(dn, guid),
      created: unfinished,
      changes,
      ...(diff.move ? { moved: diff.move } : {}),
      chosen: diff.chosen,
      groupsAdded,
      groupsRemoved,
      pending: manager.pending,
    };
  }

  /** The account's attributes as the update left them, for the match index. */
  private afterUpdate(account: DirectoryEntry, command: UpsertAccount, diff: AccountDiff): Record<string, Values> {
    const attributes: Record<string, Values> = { ...lowerKeys(account.attributes) };
    for (const [attribute, value] of Object.entries(command.attributes.always))
      attributes[lower(attribute)] = toValues(value);
    for (const [attribute, value] of Object.entries(diff.chosen)) attributes[lower(attribute)] = [value];
    return attributes;
  }
}
