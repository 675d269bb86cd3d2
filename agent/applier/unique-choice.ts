import type { FollowingUniqueAttribute, UpsertAccount } from '../../shared/protocol';
import { ApplyFailure } from './apply-failure';
import type { UniqueValueProbe } from './unique-values';

/**
 * Chooses unique values from ordered candidates: the first one the directory says is free. The probes
 * exclude the account itself (`exceptGuid`) on update, so its own current value never counts as taken.
 */
export class UniqueChoice {
  constructor(private readonly probe: UniqueValueProbe) {}

  private isFree(attribute: FollowingUniqueAttribute, value: string, exceptGuid?: string): Promise<boolean> {
    switch (attribute) {
      case 'sAMAccountName':
        return this.probe.samAccountNameFree(value, exceptGuid);
      case 'userPrincipalName':
        return this.probe.userPrincipalNameFree(value, exceptGuid);
      case 'mail':
        return this.probe.mailFree(value, exceptGuid);
    }
  }

  /** The first free candidate for a domain-wide unique attribute. */
  async firstFree(
    attribute: FollowingUniqueAttribute,
    candidates: readonly string[],
    exceptGuid?: string,
  ): Promise<string> {
    for (const candidate of candidates) if (await this.isFree(attribute, candidate, exceptGuid)) return candidate;
    throw new ApplyFailure(
      'UniqueValuesExhausted',
      `unique.${attribute}: all ${candidates.length} candidates are taken (${candidates.join(', ')})`,
      `unique.${attribute}`,
    );
  }

  /**
   * The cn an account takes in `parentDn` — one rule for every create, move and rename. The current cn
   * stays when it may (`keep`) and no other object holds it in the target OU; otherwise the first free
   * candidate. This is the UpsertAccount rule ("next free candidate"), chosen over the rule the
   * disable/enable move used to have (append the GUID's first 8 characters), because only it is idempotent
   * for an upsert: a GUID-suffixed cn is no candidate, so the next delivery would rename it again. Commands
   * without cn candidates (DisableAccount, EnableAccount) pass the GUID-suffixed cn as their one candidate
   * (`guidSuffixedCn`), so their outcome is what it was.
   */
  async cnInTarget(options: {
    current?: string;
    keep: boolean;
    candidates: readonly string[];
    parentDn: string;
    exceptGuid?: string;
    field: string;
  }): Promise<string> {
    const { current, parentDn, exceptGuid } = options;
    if (options.keep && current !== undefined && (await this.probe.cnFree(current, parentDn, exceptGuid))) {
      return current;
    }
    for (const candidate of options.candidates) {
      if (await this.probe.cnFree(candidate, parentDn, exceptGuid)) return candidate;
    }
    throw new ApplyFailure(
      'UniqueValuesExhausted',
      `${options.field}: all ${options.candidates.length} candidates are taken in ${parentDn} (${options.candidates.join(', ')})`,
      options.field,
    );
  }

  /** First free values for a new account; the four are independent, so they are asked at the same time. */
  async forCreate(command: UpsertAccount, parentDn: string): Promise<Record<string, string>> {
    const u = command.unique;
    const [sAMAccountName, userPrincipalName, cn, mail] = await Promise.all([
      this.firstFree('sAMAccountName', u.sAMAccountName),
      this.firstFree('userPrincipalName', u.userPrincipalName),
      this.cnInTarget({ keep: false, candidates: u.cn, parentDn, field: 'unique.cn' }),
      u.mail ? this.firstFree('mail', u.mail) : undefined,
    ]);
    return { sAMAccountName, userPrincipalName, cn, ...(mail ? { mail } : {}) };
  }

  /** New values for the followed attributes that need one (see `uniqueToChoose`), excluding the account. */
  async forUpdate(
    command: UpsertAccount,
    attributes: readonly FollowingUniqueAttribute[],
    guid: string,
  ): Promise<Partial<Record<FollowingUniqueAttribute, string>>> {
    const values = await Promise.all(
      attributes.map(async (a) => [a, await this.firstFree(a, command.unique[a] ?? [], guid)] as const),
    );
    return Object.fromEntries(values);
  }
}

/** The one cn candidate of a command that has none: the cn with the GUID's start, unique and stable. */
export function guidSuffixedCn(cn: string, guid: string): string {
  return `${cn.slice(0, 55)} ${guid.slice(0, 8)}`;
}
