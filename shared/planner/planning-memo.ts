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
  readonly upsertIntents = new WeakMap<object, { readonly intent: CommandIntent; readonly fingerprint: string }>();

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
