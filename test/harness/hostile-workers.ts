import type { UpsertAccount } from '../../shared/protocol';
import { createPrng } from '../../shared/util/prng';
import { upsertFor } from './commands';

/**
 * Deterministically generated workers whose names attack every layer: LDAP filter injection, DN
 * special characters, leading/trailing spaces, diacritics, non-Latin and right-to-left scripts, emoji,
 * 1,000-character names and empty fields. Candidate lists are built the naive way a careless mapping
 * would, so some are invalid on purpose: the agent must refuse those with a clear error.
 */

const NAME_PARTS = [
  '*)(objectClass=*',
  'admin)(|(cn=*',
  '*',
  '\\2a',
  "O'Brien",
  'Smith, Jr.',
  'a+b',
  '"Quoted"',
  'Back\\slash',
  '<tag>',
  'semi;colon',
  'equals=sign',
  '#hash',
  ' Leading',
  'Trailing ',
  '  ',
  'Zoë',
  'Ångström',
  'Łukasz',
  'Øre',
  'Nguyễn',
  'Müller-Lüdenscheidt',
  '李小龙',
  'Дмитрий',
  'محمد',
  'עברית',
  'Ελένη',
  'नमस्ते',
  '😀',
  'Zo\u0301e',
  'NUL\u0000byte',
  'tab\there',
  'line\nbreak',
  'x'.repeat(1000),
  '',
  'Ordinary',
  'Name',
  '(parens)',
  'com,ma',
  'DC=evil',
  'CN=Admin,OU=x',
  '\u202Eevil\u202C',
  'Ｆｕｌｌｗｉｄｔｈ',
];

/** Every run generates the same workers. */
function prng(seed: number): () => number {
  const generator = createPrng(`hostile-workers:${seed}`);
  return () => generator.nextUint32() / 0x1_0000_0000;
}

export interface HostileWorker {
  id: string;
  given: string;
  family: string;
  command: UpsertAccount;
}

export function hostileWorkers(count: number, ou: string, realm: string, seed = 20261121): HostileWorker[] {
  const random = prng(seed);
  const pick = () => NAME_PARTS[Math.floor(random() * NAME_PARTS.length)]!;
  const workers: HostileWorker[] = [];
  for (let i = 0; i < count; i++) {
    // Some employee IDs are themselves injection attempts (AD limits employeeID to 16 characters).
    const id = i % 10 === 3 ? `*${i}` : i % 10 === 7 ? `E${i})(cn=*` : `H${String(i).padStart(5, '0')}`;
    const given = pick();
    const family = pick();
    const display = `${given} ${family}`;
    const base = upsertFor({ id, given, family, ou, realm });
    // Naive candidates: the raw name (may be invalid), then an ASCII-folded form with the index, which is valid.
    const folded =
      `${given}${family}`
        .normalize('NFKD')
        .replace(/[^A-Za-z0-9]/g, '')
        .toLowerCase()
        .slice(0, 12) || 'user';
    const sam = [display.slice(0, 20), `${folded}${i}`];
    const command: UpsertAccount = {
      ...base,
      unique: {
        sAMAccountName: i % 2 === 0 ? sam : [sam[1]!],
        userPrincipalName: [`${folded}${i}@${realm}`],
        cn: [display, `${display.slice(0, 50)} ${id}`.slice(0, 64)],
      },
    };
    workers.push({ id, given, family, command });
  }
  return workers;
}
