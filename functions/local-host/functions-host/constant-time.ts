/** Secret comparison that leaks neither content nor length through timing. */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether the presented secret equals the expected one. Comparing fixed-length digests in constant time
 * leaks neither the secret's content nor its length.
 */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}
