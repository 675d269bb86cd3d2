/**
 * One doctor check's verdict: what was checked, what was found, and on a failure or a warning the one
 * thing to do about it. SKIP: not checked because a check it needs failed (that one says why).
 */
export type Verdict = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

export interface CheckResult {
  readonly name: string;
  readonly verdict: Verdict;
  readonly detail: string;
  readonly remedy?: string;
}

export const pass = (name: string, detail: string): CheckResult => ({ name, verdict: 'PASS', detail });

export const warn = (name: string, detail: string, remedy: string): CheckResult => ({
  name,
  verdict: 'WARN',
  detail,
  remedy,
});

export const fail = (name: string, detail: string, remedy: string): CheckResult => ({
  name,
  verdict: 'FAIL',
  detail,
  remedy,
});

export const skip = (name: string, detail: string): CheckResult => ({ name, verdict: 'SKIP', detail });

/** An error as one line for a check's detail (never a secret: the SDKs' messages name hosts and codes). */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (message.split('\n')[0] ?? '').slice(0, 300);
}

/** WARN above a minute, FAIL above five (Kerberos refuses tickets beyond its five-minute tolerance). */
export function clockSkewVerdict(name: string, skewMs: number, against: string, remedy: string): CheckResult {
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  const detail = `${seconds} s ${skewMs >= 0 ? 'ahead of' : 'behind'} ${against}`;
  if (seconds > 300) return fail(name, detail, remedy);
  if (seconds > 60) return warn(name, detail, remedy);
  return pass(name, detail);
}
