/**
 * Names in any script, through the public planner with the shipped default mapping: every worker with a
 * non-empty name becomes a joiner (never quarantined) whose UpsertAccount carries
 *
 * - a first sAMAccountName candidate of lower-case ASCII letters, digits, "_" or "-", at most 20;
 * - userPrincipalName candidates that are all valid: ASCII, a non-empty local part without a leading,
 *   trailing or doubled dot, the configured suffix;
 * - a first cn candidate that is the name as HR spells it (invisible formatting characters removed, cut
 *   to AD's 64 characters), and a displayName, givenName and sn without formatting characters.
 *
 * The table is generated, like a vendor's test data: a name in each script, then each name made
 * adversarial (combining marks after every character, formatting characters between them, repeated past
 * 256 characters, an emoji added), plus names with no letter at all (emoji only, punctuation only),
 * which fall back to the worker id (`u<id>`, `<id>@suffix`). A second table holds what must be
 * quarantined: control characters, and names made only of spaces.
 */
import { compileMappingConfig, createDefaultMappingConfig } from '../../../shared/mapping/config';
import { stripFormatCharacters } from '../../../shared/mapping/expression';
import { planCycle, previewCycle, type WorkerPlanResult } from '../../../shared/planner';
import type { WorkerInput } from '../../../shared/worker';

const SUFFIX = 'corp.example.test';
const loaded = compileMappingConfig(
  createDefaultMappingConfig({ domainDn: 'DC=corp,DC=example,DC=test', upnSuffix: SUFFIX }),
);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
const config = loaded.value;
const NOW = new Date('2025-03-03T09:00:00Z');

const SAM = /^[a-z0-9_-]{1,20}$/;
const UPN = new RegExp(`^(?!\\.)(?!.*\\.\\.)[A-Za-z0-9'._-]+(?<!\\.)@${SUFFIX.replace(/\./g, '\\.')}$`);

type Name = [label: string, first: string, last: string];

const SCRIPTS: Name[] = [
  ['Cyrillic', 'Ольга', 'Петрова'],
  ['Greek', 'Ελένη', 'Παπαδοπούλου'],
  ['Chinese', '小明', '王'],
  ['Japanese kanji', '太郎', '山田'],
  ['Japanese kana', 'たろう', 'やまだ'],
  ['Korean', '민준', '김'],
  ['Arabic', 'محمد', 'عبد الله'],
  ['Hebrew', 'דוד', 'כהן'],
  ['Thai', 'สมชาย', 'ใจดี'],
  ['Vietnamese', 'Đức', 'Nguyễn Văn'],
  ['Devanagari', 'राम', 'शर्मा'],
  ['Georgian', 'ნინო', 'ბერიძე'],
  ['Armenian', 'Արմեն', 'Սարգսյան'],
  ['Irish apostrophe', 'Seán', "O'Brien"],
  ['French apostrophe', 'Charles', "d'Artagnan"],
];

/** Names with no letter or digit an identifier could use: only the worker id is left. */
const NO_LETTERS: Name[] = [
  ['emoji only', '😀', '🎉'],
  ['emoji with joiners and modifiers only', '👩🏽‍💻', '🏳️‍🌈'],
  ['punctuation only', '...', "'-'"],
  ['combining marks only', '\u0301\u0303', '\u0308'],
];

const each = (text: string, add: (ch: string) => string) => Array.from(text, add).join('');
const pastCharacters = (text: string, length: number) => text.repeat(Math.ceil(length / text.length) + 1);

/** Each script's name made adversarial in the ways vendors' test files do. */
const ADVERSARIAL: Name[] = SCRIPTS.flatMap(([label, first, last]): Name[] => [
  [
    `${label}, a combining mark after every character`,
    each(first, (c) => `${c}\u0301`),
    each(last, (c) => `${c}\u0323`),
  ],
  [
    `${label}, bidi and zero-width characters between them`,
    `\u202B${each(first, (c) => `${c}\u200B`)}\u202C`,
    `\u2067${last}\u2069\uFEFF`,
  ],
  [`${label}, repeated past 256 characters`, pastCharacters(first, 300), pastCharacters(last, 300)],
  [`${label}, with an emoji`, `${first} 🌻`, last],
]);

const NAMED: Name[] = [...SCRIPTS, ...ADVERSARIAL];
const ALL: Name[] = [...NAMED, ...NO_LETTERS];

const worker = (index: number, first: string, last: string): WorkerInput => ({
  source: 'workday',
  id: String(7000 + index),
  legalName: { first, last },
  employeeType: 'employee',
  employmentStatus: 'active',
  hireDate: '2025-03-01',
});

const records = ALL.map(([, first, last], index) => worker(index, first, last));
const cycle = planCycle({ records, states: new Map(), config, now: NOW });
const byKey = new Map(cycle.results.map((r) => [r.workerKey, r]));

function upsertOf(result: WorkerPlanResult) {
  const step = result.plan?.steps.find((s) => s.command.kind === 'UpsertAccount');
  if (!step || step.command.kind !== 'UpsertAccount') throw new Error(`${result.workerKey}: no UpsertAccount`);
  return step.command;
}

/** The name as the default mapping writes it to cn: formatting characters out, at most 64 characters. */
function expectedCn(first: string, last: string): string {
  const display = [stripFormatCharacters(first), stripFormatCharacters(last)].filter((p) => p !== '').join(' ');
  return Array.from(display)
    .slice(0, 64)
    .join('')
    .replace(/^ +| +$/g, '');
}

const rows = ALL.map(([label, first, last], index) => [label, first, last, `workday:${7000 + index}`] as const);

describe('the default mapping gives every name, in any script, valid identifiers', () => {
  it('nothing is quarantined', () => {
    expect(cycle.quarantined).toEqual([]);
  });

  it.each(rows)('%s', (_label, first, last, key) => {
    const result = byKey.get(key)!;
    expect(result.issues).toEqual([]);
    expect(result.outcome).toBe('planned');
    expect(result.classification).toBe('joiner');
    const command = upsertOf(result);
    const { sAMAccountName, userPrincipalName, cn } = command.unique;
    expect(sAMAccountName[0]).toMatch(SAM);
    expect(userPrincipalName.length).toBeGreaterThan(0);
    for (const upn of userPrincipalName) {
      expect(upn).toMatch(UPN);
      expect(upn.split('@')[0]!.length).toBeLessThanOrEqual(64);
    }
    expect(cn[0]).toBe(expectedCn(first, last));
    const always = command.attributes.always as Record<string, string | null>;
    for (const attribute of ['givenName', 'sn', 'displayName']) {
      const value = always[attribute];
      if (value) expect(value).toBe(stripFormatCharacters(value));
    }
  });

  it.each(NAMED.map(([label], index) => [label, `workday:${7000 + index}`] as const))(
    '%s: the name comes first, the id last',
    (_label, key) => {
      const { sAMAccountName, userPrincipalName } = upsertOf(byKey.get(key)!).unique;
      const id = key.split(':')[1]!;
      expect(sAMAccountName[0]).not.toBe(`u${id}`);
      expect(sAMAccountName[sAMAccountName.length - 1]).toBe(`u${id}`);
      expect(userPrincipalName[0]).not.toBe(`${id}@${SUFFIX}`);
      expect(userPrincipalName[userPrincipalName.length - 1]).toBe(`${id}@${SUFFIX}`);
    },
  );

  it.each(NO_LETTERS.map(([label], i) => [label, `workday:${7000 + NAMED.length + i}`] as const))(
    '%s: the worker id is the only identifier',
    (_label, key) => {
      const { sAMAccountName, userPrincipalName } = upsertOf(byKey.get(key)!).unique;
      const id = key.split(':')[1]!;
      expect(sAMAccountName).toEqual([`u${id}`]);
      expect(userPrincipalName).toEqual([`${id}@${SUFFIX}`]);
    },
  );

  it('a few readings, for the record', () => {
    const first = (label: string) => {
      const index = ALL.findIndex(([l]) => l === label);
      const { sAMAccountName, userPrincipalName } = upsertOf(byKey.get(`workday:${7000 + index}`)!).unique;
      return [sAMAccountName[0], userPrincipalName[0]];
    };
    expect(first('Cyrillic')).toEqual(['opetrova', `Olga.Petrova@${SUFFIX}`]);
    expect(first('Chinese')).toEqual(['xwang', `XiaoMing.Wang@${SUFFIX}`]);
    expect(first('Irish apostrophe')).toEqual(['sobrien', `Sean.O'Brien@${SUFFIX}`]);
    expect(first('French apostrophe')).toEqual(['cdartagnan', `Charles.d'Artagnan@${SUFFIX}`]);
  });
});

type Bad = [label: string, record: WorkerInput, path: string, message: RegExp];

const BAD: Bad[] = [
  ['a line feed inside a first name', worker(0, 'Ann\nMarie', 'Smith'), 'legalName.first', /U\+000A at position 4/],
  ['a NUL inside a Cyrillic last name', worker(1, 'Ольга', 'Пет\u0000рова'), 'legalName.last', /U\+0000 at position 4/],
  ['a C1 control (NEL) in an Arabic name', worker(2, 'محمد\u0085', 'عبد'), 'legalName.first', /U\+0085 at position 5/],
  [
    'an escape in a preferred name',
    { ...worker(3, 'Ada', 'Lovelace'), preferredName: { first: 'A\u001bda' } },
    'preferredName.first',
    /U\+001B at position 2/,
  ],
  ['a DEL in the worker id', { ...worker(4, 'Ada', 'Lovelace'), id: '70\u007f04' }, 'id', /U\+007F at position 3/],
  [
    'a name longer than the schema allows (1,024 characters)',
    worker(7, 'Ada', 'Петрова'.repeat(150)),
    'legalName.last',
    /<=1024 characters/,
  ],
  ['a first name of spaces only', worker(5, '   ', 'Smith'), 'legalName.first', /may not be empty/],
  ['a last name of spaces only', worker(6, 'Ada', ' \u3000 '), 'legalName.last', /may not be empty/],
];

describe('what is still quarantined', () => {
  const preview = previewCycle({ records: BAD.map(([, record]) => record), states: new Map(), config, now: NOW });

  it.each(BAD.map((row, index) => [...row, index] as const))('%s', (_label, _record, path, message, index) => {
    const entry = preview.quarantined.find((q) => q.index === index);
    expect(entry).toBeDefined();
    expect(entry!.issues.map((i) => i.path)).toEqual([path]);
    expect(entry!.issues[0]!.message).toMatch(message);
  });
});
