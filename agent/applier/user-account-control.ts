import type { AttributeChange } from '../../shared/protocol';
import type { Modification } from '../directory/directory.port';

/** userAccountControl bits hr2ad reads or writes. */
export const UAC = {
  ACCOUNTDISABLE: 0x2,
  PASSWD_NOTREQD: 0x20,
  NORMAL_ACCOUNT: 0x200,
} as const;

/** What a new account is added with: disabled and without a password until both are set. */
export const UAC_NEW_ACCOUNT = UAC.NORMAL_ACCOUNT | UAC.ACCOUNTDISABLE | UAC.PASSWD_NOTREQD;

export function isEnabled(uac: number): boolean {
  return (uac & UAC.ACCOUNTDISABLE) === 0;
}

/**
 * An account still carrying PASSWD_NOTREQD never got its password: a create interrupted after the add.
 * Finishing it (random password, flag cleared) is safe even for an account made elsewhere: it only
 * removes the ability to log on with an empty password.
 */
export function isUnfinished(uac: number): boolean {
  return (uac & UAC.PASSWD_NOTREQD) !== 0;
}

/** The desired flags: only the disable and no-password bits are ours; every other bit is kept. */
export function withEnabled(uac: number, enabled: boolean): number {
  const base = (uac | UAC.NORMAL_ACCOUNT) & ~UAC.PASSWD_NOTREQD;
  return enabled ? base & ~UAC.ACCOUNTDISABLE : base | UAC.ACCOUNTDISABLE;
}

/** The one userAccountControl write that enables or disables an account, and how the result reports it. */
export interface EnabledToggle {
  before: number;
  after: number;
  modification: Modification;
  change: AttributeChange;
}

/**
 * The toggle that makes an account enabled or disabled, or undefined when it already is. Used by every
 * path that changes the enabled state (UpsertAccount's diff, DisableAccount, EnableAccount); a create
 * sets its first value while finishing the account instead.
 */
export function enabledToggle(uac: number, enabled: boolean): EnabledToggle | undefined {
  if (isEnabled(uac) === enabled) return undefined;
  const after = withEnabled(uac, enabled);
  return {
    before: uac,
    after,
    modification: { operation: 'replace', attribute: 'userAccountControl', values: [String(after)] },
    change: { attribute: 'userAccountControl', before: String(uac), after: String(after) },
  };
}

/** An entry's userAccountControl, or `fallback` when it has none. */
export function uacOf(attributes: Readonly<Record<string, readonly string[]>>, fallback: number): number {
  return Number(attributes.useraccountcontrol?.[0] ?? fallback);
}
