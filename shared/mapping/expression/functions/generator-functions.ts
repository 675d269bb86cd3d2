/**
 * Functions that create values or steer what happens to them: Guid, RandomString, Redact,
 * SelectUniqueValue.
 *
 * Randomness comes from the evaluation's seeded generator, so a plan computed twice with
 * the same seed is identical.
 */
import { IGNORE_FLOW_SIGNAL, type Runtime, type Thunk } from '../runtime';
import { describeValue, scalarToString, type Value } from '../values';
import { arg, eager, type CallSite, type FunctionDefinition } from './function-types';

const guid = eager('Guid', 0, 0, '()', (_args, _site, rt) => {
  const random = rt.random();
  let hex = '';
  for (let i = 0; i < 4; i++) hex += random.nextUint32().toString(16).padStart(8, '0');
  // RFC 4122 version 4 layout, like .NET Guid.NewGuid().
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
});

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** Special characters of the Windows password-complexity reference that Entra links to. */
const SPECIAL = '~!@#$%^&*_-+=`|\\(){}[]:;"\'<>,.?/';
const MAX_RANDOM_LENGTH = 256;

const randomString = eager(
  'RandomString',
  5,
  6,
  '(length, minimumNumbers, minimumSpecialCharacters, minimumCapital, minimumLowerCase, charactersToAvoid)',
  (args, site, rt) => {
    const names = [
      'length',
      'minimumNumbers',
      'minimumSpecialCharacters',
      'minimumCapital',
      'minimumLowerCase',
    ] as const;
    const numbers = names.map((name, i) => {
      const n = site.requiredInteger(arg(args, i), i, name);
      if (n < 0) site.fail('invalid-argument', `${name} must not be negative, but got ${n}.`, i);
      return n;
    });
    const [length, minDigits, minSpecial, minUpper, minLower] = numbers as [number, number, number, number, number];
    if (length > MAX_RANDOM_LENGTH)
      site.fail('invalid-argument', `length can be at most ${MAX_RANDOM_LENGTH}, but got ${length}.`, 0);
    const required = minDigits + minSpecial + minUpper + minLower;
    if (required > length) {
      site.fail('invalid-argument', `the minimums add up to ${required}, which is more than length ${length}.`, 0);
    }
    const avoid = new Set(site.text(arg(args, 5), 5, 'charactersToAvoid'));
    const pools = [
      { name: 'numbers', chars: DIGITS, min: minDigits, index: 1 },
      { name: 'special characters', chars: SPECIAL, min: minSpecial, index: 2 },
      { name: 'capital letters', chars: UPPER, min: minUpper, index: 3 },
      { name: 'lower-case letters', chars: LOWER, min: minLower, index: 4 },
    ].map((p) => ({ ...p, chars: [...p.chars].filter((c) => !avoid.has(c)) }));
    for (const pool of pools) {
      if (pool.min > 0 && pool.chars.length === 0)
        site.fail('invalid-argument', `charactersToAvoid excludes every one of the ${pool.name}.`, 5);
    }
    // The remainder beyond the minimums is drawn from the requested kinds only (a category
    // with minimum 0 is taken as unwanted); with no minimums at all, from letters and digits.
    let filler = pools.filter((p) => p.min > 0).flatMap((p) => p.chars);
    if (filler.length === 0) filler = pools.filter((p) => p.name !== 'special characters').flatMap((p) => p.chars);
    if (length > required && filler.length === 0)
      site.fail('invalid-argument', 'charactersToAvoid leaves no characters to choose from.', 5);
    const random = rt.random();
    const chars: string[] = [];
    for (const pool of pools)
      for (let i = 0; i < pool.min; i++) chars.push(pool.chars[random.nextInt(pool.chars.length)] as string);
    while (chars.length < length) chars.push(filler[random.nextInt(filler.length)] as string);
    for (let i = chars.length - 1; i > 0; i--) {
      const j = random.nextInt(i + 1);
      [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
    }
    return chars.join('');
  },
);

/** The value flows unchanged; the evaluation result is flagged so logs show "[Redact]" instead. */
const redact = eager('Redact', 1, 1, '(value)', (args, _site, rt) => {
  rt.redacted = true;
  return arg(args, 0);
});

/**
 * When it is the whole expression the compiler evaluates the rules itself (see
 * compileCandidates); reaching this definition's compile means it is nested, which Entra forbids.
 */
const selectUniqueValue: FunctionDefinition = {
  name: 'SelectUniqueValue',
  minArgs: 2,
  maxArgs: Infinity,
  signature: '(uniqueValueRule1, uniqueValueRule2, …)',
  compile(_args, site) {
    return site.fail('not-top-level', 'must be the whole expression; it cannot be nested inside another function.');
  },
};

/**
 * Evaluates SelectUniqueValue's rules into the ordered candidate list, skipping rules that
 * are null or empty (and rules that asked to be ignored with IgnoreFlowIfNullOrEmpty).
 */
export function compileCandidates(rules: readonly Thunk[], site: CallSite): (rt: Runtime) => string[] {
  return (rt) => {
    const values: string[] = [];
    for (let i = 0; i < rules.length; i++) {
      let value: Value;
      try {
        value = (rules[i] as Thunk)(rt);
      } catch (signal) {
        if (signal !== IGNORE_FLOW_SIGNAL) throw signal;
        value = null;
      }
      if (value === null || value === '') continue;
      if (Array.isArray(value))
        site.fail(
          'type-mismatch',
          `uniqueValueRule${i + 1} must produce a single value, but it is ${describeValue(value)}.`,
          i,
        );
      values.push(scalarToString(value as string | number | boolean) ?? '');
    }
    return values;
  };
}

export const GENERATOR_FUNCTIONS: readonly FunctionDefinition[] = [guid, randomString, redact, selectUniqueValue];
