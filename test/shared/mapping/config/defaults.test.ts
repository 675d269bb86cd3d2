/**
 * The shipped defaults behave like Entra's Workday-to-AD defaults: employeeID from WorkerID (matching,
 * create only), names and job data always, OU by location, and the unique-value candidates for
 * sAMAccountName, userPrincipalName and cn (diacritics folded, AD-safe, in Entra's order), plus hr2ad's
 * additions: names in any script transliterated for identifiers, the worker id as the last resort,
 * invisible formatting characters stripped, and AD's lengths kept.
 */
import { compileMappingConfig, DEFAULT_MAPPING_CONFIG } from '../../../../shared/mapping/config';
import { planWorker, type DesiredAccount } from '../../../../shared/planner';
import type { WorkerInput } from '../../../../shared/worker';

const loaded = compileMappingConfig(DEFAULT_MAPPING_CONFIG);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
const config = loaded.value;

const person = (changes: Partial<WorkerInput>): WorkerInput => ({
  source: 'workday',
  id: '21001',
  legalName: { first: 'Zoë', last: 'Van Dyke' },
  employeeType: 'employee',
  employmentStatus: 'active',
  hireDate: '2024-01-08',
  ...changes,
});

type Row = [situation: string, worker: WorkerInput, expected: (account: DesiredAccount) => void];

const TABLE: Row[] = [
  [
    'matching and create-only employeeID',
    person({}),
    (a) => {
      expect(a.match).toEqual([{ attribute: 'employeeID', value: '21001' }]);
      expect(a.attributes.onCreate).toEqual({ employeeID: '21001' });
    },
  ],
  [
    'UPN candidates: first.last, f.last, fi.last, diacritics folded, spaces stripped, then the id',
    person({}),
    (a) => {
      expect(a.unique.userPrincipalName).toEqual([
        'Zoe.VanDyke@contoso.com',
        'Z.VanDyke@contoso.com',
        'Zo.VanDyke@contoso.com',
        '21001@contoso.com',
      ]);
    },
  ],
  [
    'sAMAccountName candidates: lower case, at most 20 characters, id as the last resort',
    person({ legalName: { first: 'Maximilian', last: 'Müller-Lüdenscheidt' } }),
    (a) => {
      expect(a.unique.sAMAccountName).toEqual([
        'mmuller-ludenscheidt',
        'mamuller-ludenscheid',
        'maximilianmuller-lud',
        'muller-luden21001',
        'u21001',
      ]);
      for (const v of a.unique.sAMAccountName) expect(v.length).toBeLessThanOrEqual(20);
    },
  ],
  [
    'apostrophes: kept in the UPN, dropped from sAMAccountName',
    person({ legalName: { first: 'Seán', last: "O'Brien" } }),
    (a) => {
      expect(a.unique.userPrincipalName[0]).toBe("Sean.O'Brien@contoso.com");
      expect(a.unique.sAMAccountName[0]).toBe('sobrien');
    },
  ],
  [
    'Entra keeps its spellings: NormalizeDiacritics runs before Transliterate (ø → oe, æ → ae)',
    person({ legalName: { first: 'Søren', last: 'Bækgaard' } }),
    (a) => {
      expect(a.unique.sAMAccountName[0]).toBe('sbaekgaard');
      expect(a.unique.userPrincipalName[0]).toBe('Soeren.Baekgaard@contoso.com');
    },
  ],
  [
    'a Cyrillic name: transliterated identifiers, cn and displayName in Cyrillic',
    person({ legalName: { first: 'Ольга', last: 'Петрова' } }),
    (a) => {
      expect(a.unique.sAMAccountName.slice(0, 3)).toEqual(['opetrova', 'olpetrova', 'olgapetrova']);
      expect(a.unique.userPrincipalName[0]).toBe('Olga.Petrova@contoso.com');
      expect(a.unique.cn[0]).toBe('Ольга Петрова');
      expect(a.attributes.always).toMatchObject({ givenName: 'Ольга', sn: 'Петрова', displayName: 'Ольга Петрова' });
    },
  ],
  [
    'a name with no letters at all: u<id> and <id>@suffix, the name kept in cn',
    person({ legalName: { first: '🙂', last: '🌻' } }),
    (a) => {
      expect(a.unique.sAMAccountName).toEqual(['u21001']);
      expect(a.unique.userPrincipalName).toEqual(['21001@contoso.com']);
      expect(a.unique.cn).toEqual(['🙂 🌻', '🙂 🌻 21001']);
    },
  ],
  [
    'invisible formatting characters never reach AD',
    person({ legalName: { first: '\u200FZoë\u200B', last: 'Van\u2066 Dyke\u2069' }, department: '\uFEFFSales' }),
    (a) => {
      expect(a.attributes.always).toMatchObject({
        givenName: 'Zoë',
        sn: 'Van Dyke',
        displayName: 'Zoë Van Dyke',
        department: 'Sales',
      });
      expect(a.unique.cn[0]).toBe('Zoë Van Dyke');
      expect(a.unique.userPrincipalName[0]).toBe('Zoe.VanDyke@contoso.com');
    },
  ],
  [
    "long names are cut to AD's lengths, without a space left at the cut",
    person({ legalName: { first: 'Ana Maria '.repeat(30).trim(), last: 'de la Cruz '.repeat(30).trim() } }),
    (a) => {
      const always = a.attributes.always as Record<string, string>;
      expect([...always.givenName!].length).toBeLessThanOrEqual(64);
      expect([...always.sn!].length).toBeLessThanOrEqual(64);
      expect([...always.displayName!].length).toBeLessThanOrEqual(256);
      for (const value of [always.givenName!, always.sn!, always.displayName!, ...a.unique.cn]) {
        expect(value).toBe(value.trim());
      }
      expect(a.unique.cn[1]).toMatch(/ 21001$/);
      for (const upn of a.unique.userPrincipalName) expect(upn.split('@')[0]!.length).toBeLessThanOrEqual(64);
    },
  ],
  [
    'cn from the preferred name, with the id to tell two people apart',
    person({ preferredName: { first: 'Zo' } }),
    (a) => {
      expect(a.unique.cn).toEqual(['Zo Van Dyke', 'Zo Van Dyke 21001']);
      expect(a.attributes.always).toMatchObject({ givenName: 'Zoë', sn: 'Van Dyke', displayName: 'Zo Van Dyke' });
    },
  ],
  [
    'job data always; empty HR fields clear AD',
    person({ department: 'Sales', title: 'Rep', company: 'Contoso', phone: { work: '+1 555 0100' } }),
    (a) => {
      expect(a.attributes.always).toMatchObject({
        department: 'Sales',
        title: 'Rep',
        company: 'Contoso',
        telephoneNumber: '+1 555 0100',
        mobile: null,
        employeeType: 'employee',
      });
    },
  ],
  [
    "OU by location (Entra's Switch on the city), default OU elsewhere",
    person({ location: 'Austin' }),
    (a) => {
      expect(a.parentOu).toBe('OU=Austin,OU=Users,DC=contoso,DC=com');
    },
  ],
  [
    'an unknown location goes to the default OU',
    person({ location: 'Reykjavik' }),
    (a) => {
      expect(a.parentOu).toBe('OU=Users,DC=contoso,DC=com');
    },
  ],
  [
    "manager by the manager's employeeID",
    person({ managerId: '20001' }),
    (a) => {
      expect(a.manager).toEqual({ attribute: 'employeeID', value: '20001' });
    },
  ],
];

describe('shipped default mapping', () => {
  it.each(TABLE)('%s', (_situation, worker, expected) => {
    const result = planWorker(undefined, worker, config, new Date('2025-03-03T09:00:00Z'));
    expect(result.outcome).toBe('planned');
    expected(result.nextState!.desired.account!);
  });
});
