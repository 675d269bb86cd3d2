import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#$%&*+-=?@^_';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

export type PasswordGenerator = (length: number, avoid: readonly string[]) => string;

/**
 * A temporary password that meets AD complexity: all four character classes, and none of the
 * account's name tokens of three or more characters (AD rejects a password containing them). Each
 * name is also avoided whole, as AD checks the sAMAccountName whole (`li-wu`, though its tokens are short).
 */
export const generateTemporaryPassword: PasswordGenerator = (length, avoid) => {
  const tokens = avoid
    .flatMap((s) => [s.toLowerCase(), ...s.toLowerCase().split(/[\s,.\-_#\t]+/)])
    .filter((t) => t.length >= 3);
  for (;;) {
    const chars = [UPPER, LOWER, DIGITS, SYMBOLS].map((set) => set[randomInt(set.length)]!);
    while (chars.length < length) chars.push(ALL[randomInt(ALL.length)]!);
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const password = chars.join('');
    const lower = password.toLowerCase();
    if (!tokens.some((t) => lower.includes(t))) return password;
  }
};
