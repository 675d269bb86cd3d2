import { childDn } from '../../shared/directory/dn';
import type { AttributeChange, UpsertAccount } from '../../shared/protocol';
import { DirectoryError, type Directory, type DirectoryEntry } from '../directory/directory.port';
import { isNoSuchObject } from '../directory/ldap-errors';
import type { Logger } from '../../shared/ports/logger.port';
import { ACCOUNT_ATTRIBUTES } from './account-lookup';
import { ApplyFailure } from './apply-failure';
import { fromValues, toValues } from './attribute-values';
import type { PasswordGenerator } from './password-generator';
import type { UniqueChoice } from './unique-choice';
import { UAC_NEW_ACCOUNT, uacOf, withEnabled } from './user-account-control';
import { attributeFailure, isTakenConcurrently } from './write-failure';

/** How often a create chooses its unique values again after another writer took one first. */
const CREATE_ATTEMPTS = 3;

export interface CreatedAccount {
  account: DirectoryEntry;
  attributes: Record<string, string[]>;
  chosen: Record<string, string>;
  changes: AttributeChange[];
}

/** What an account is added with: disabled and without a password until both are set. */
function newAccountAttributes(
  command: UpsertAccount,
  chosen: Record<string, string>,
  managerDn: string | null | undefined,
): Record<string, string[]> {
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
  return attributes;
}

/** Creates accounts: add, then `finishAccount`. */
export class AccountCreation {
  constructor(
    private readonly directory: Directory,
    private readonly unique: UniqueChoice,
    private readonly generatePassword: PasswordGenerator,
    private readonly logger: Logger,
  ) {}

  /** Adds the account with the first free unique values (choosing again if another writer was faster). */
  async add(command: UpsertAccount, parentDn: string, managerDn: string | null | undefined): Promise<CreatedAccount> {
    for (let attempt = 1; ; attempt++) {
      const chosen = await this.unique.forCreate(command, parentDn);
      const attributes = newAccountAttributes(command, chosen, managerDn);
      const dn = childDn('CN', chosen.cn!, parentDn);
      try {
        await this.directory.add(dn, attributes);
      } catch (error) {
        if (isTakenConcurrently(error) && attempt < CREATE_ATTEMPTS) {
          this.logger.warn('unique value taken concurrently; choosing again', {
            commandId: command.commandId,
            attempt,
          });
          continue;
        }
        // The add itself tells whether the parent exists: no extra read on the hot path.
        if (isNoSuchObject(error)) {
          throw new ApplyFailure('ParentNotFound', `parentOu: ${parentDn} does not exist`, 'parentOu');
        }
        throw attributeFailure(error, Object.keys(attributes));
      }
      const [account] = await this.directory.search({
        base: dn,
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ACCOUNT_ATTRIBUTES,
      });
      if (!account) throw new ApplyFailure('Unexpected', `account ${dn} vanished right after it was added`);
      const changes: AttributeChange[] = Object.entries(attributes)
        .filter(([name]) => name !== 'objectClass' && name !== 'userAccountControl')
        .map(([attribute, values]) => ({ attribute, before: null, after: fromValues(values) }));
      return { account, attributes, chosen, changes };
    }
  }

  /**
   * Second and third steps of a create, also run for an account a crash left after the add: a generated
   * temporary password in its own modify (AD hashes it; over TLS only), then the desired enabled state
   * with pwdLastSet=0 so the password must be changed at first logon.
   */
  async finish(command: UpsertAccount, account: DirectoryEntry): Promise<AttributeChange[]> {
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
    const before = uacOf(a, UAC_NEW_ACCOUNT);
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
}
