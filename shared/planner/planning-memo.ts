/**
 * What a cycle computes again and again (a handful of OUs and instants shared by many workers),
 * remembered for that cycle only: `planCycle` makes one and passes it down, so nothing outlives the
 * cycle and nothing is shared between configurations. Every entry is a pure function of its key.
 */
import { tryParseDn } from '../directory/dn';
import { CallValues } from '../mapping/expression';
import { ZoneCalendar } from '../time/zoned-time';
import type { CommandIntent } from './types';

export class PlanningMemo {
  /** Local days in the workers' zones. */
  readonly calendar = new ZoneCalendar();
  /** Expression values every worker of the cycle shares (a cleaned first name, a department's OU). */
  readonly callValues = new CallValues();
  private readonly dnValidity = new Map<string, boolean>();
  private readonly isoTexts = new Map<number, string>();
  private readonly instants = new Map<string, number>();
  /** An account's UpsertAccount intent and fingerprint, by account object (equal states share one). */
  readonly upsertIntents = new RecentIntents();
  /** Attribute names in sorted order, for the few sets of names a configuration's accounts have. */
  private readonly sortedNameSets: { readonly names: readonly string[]; readonly sorted: readonly string[] }[] = [];

  /** @param configFingerprint the configuration the cycle plans under (a memo serves one). */
  constructor(readonly configFingerprint: string) {}

  /** Whether `text` is a non-empty distinguished name. */
  isDistinguishedName(text: string): boolean {
    let valid = this.dnValidity.get(text);
    if (valid === undefined) {
      const dn = tryParseDn(text);
      this.dnValidity.set(text, (valid = dn !== null && dn.length > 0));
    }
    return valid;
  }

  /** ISO text of an instant. */
  iso(ms: number): string {
    let text = this.isoTexts.get(ms);
    if (text === undefined) this.isoTexts.set(ms, (text = new Date(ms).toISOString()));
    return text;
  }

  /**
   * `names` sorted. Accounts mapped by one configuration have the same few sets of attribute names, in
   * the same order: a set seen before is answered without sorting (and without allocating).
   */
  sortedNames(names: readonly string[]): readonly string[] {
    for (const known of this.sortedNameSets) {
      if (known.names.length === names.length && known.names.every((n, i) => n === names[i])) return known.sorted;
    }
    const sorted = [...names].sort();
    if (this.sortedNameSets.length < 8) this.sortedNameSets.push({ names: [...names], sorted });
    return sorted;
  }

  /** Milliseconds of one of the planner's own ISO instants. */
  instantMs(text: string): number {
    let ms = this.instants.get(text);
    if (ms === undefined) this.instants.set(text, (ms = Date.parse(text)));
    return ms;
  }
}

/** The memo to use: the caller's when it serves this configuration, else a fresh one. */
export function memoFor(configFingerprint: string, given: PlanningMemo | undefined): PlanningMemo {
  return given && given.configFingerprint === configFingerprint ? given : new PlanningMemo(configFingerprint);
}

type KnownIntent = { readonly intent: CommandIntent; readonly fingerprint: string };

/**
 * The intents of the last few accounts, by account object. An account is asked for again only while its
 * own worker is planned (its timeline's states share it), so a few suffice; unlike a WeakMap, this costs
 * the garbage collector nothing per worker (a 100,000-worker cycle spent a tenth of its time on one).
 */
export class RecentIntents {
  private static readonly SIZE = 8;
  private readonly accounts: (object | undefined)[] = new Array<object | undefined>(RecentIntents.SIZE);
  private readonly intents: (KnownIntent | undefined)[] = new Array<KnownIntent | undefined>(RecentIntents.SIZE);
  private next = 0;

  get(account: object): KnownIntent | undefined {
    for (let i = 0; i < RecentIntents.SIZE; i++) if (this.accounts[i] === account) return this.intents[i];
    return undefined;
  }

  set(account: object, known: KnownIntent): void {
    this.accounts[this.next] = account;
    this.intents[this.next] = known;
    this.next = (this.next + 1) % RecentIntents.SIZE;
  }
}
