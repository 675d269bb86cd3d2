/**
 * Generates the bundled sample HR export: `examples/sample/workers.csv` (about 200 workers of a
 * fictional company, in the file source's default CSV layout), `examples/sample/changes.csv` (the same
 * export two weeks of HR work later: the whole population again, with movers, leavers, a rescinded
 * hire, a rehire, a conversion, new arrivals and one unreadable row) and
 * `examples/sample/mapping-config.json` (the shipped defaults with an OU and a zone per office).
 *
 *   node --import tsx scripts/generate-sample.ts
 *
 * Deterministic: the same seed writes the same bytes, so the files are committed and tests read them.
 * Every date is relative to the sample's "today", 2026-12-01 (see examples/sample/README.md, which
 * names the interesting workers by id).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_CSV_COLUMNS } from '../functions/sources/file/file-source-config';
import { createDefaultMappingConfig } from '../shared/mapping/config/defaults';
import { createPrng } from '../shared/util/prng';

const OUT = resolve(__dirname, '..', 'examples', 'sample');
const SEED = 'hr2ad-sample:2026-12-01';
const DOMAIN = 'DC=contoso,DC=com';
const COMPANY = 'Contoso';

/** Offices: the defaults' parentOu switches on Location, so each office is an OU. */
const OFFICES = {
  London: { zone: 'Europe/London', phone: '+44 20 7946' },
  Berlin: { zone: 'Europe/Berlin', phone: '+49 30 901820' },
  'New York': { zone: 'America/New_York', phone: '+1 212 555' },
  'Los Angeles': { zone: 'America/Los_Angeles', phone: '+1 213 555' },
  Sydney: { zone: 'Australia/Sydney', phone: '+61 2 9374' },
  Tokyo: { zone: 'Asia/Tokyo', phone: '+81 3 5555' },
} as const;
type Office = keyof typeof OFFICES;

/** Every department but Executive has a head and two managers. */
type StaffDepartment = 'Engineering' | 'Sales' | 'Finance' | 'HR' | 'Operations' | 'Research';
type Department = StaffDepartment | 'Executive';
const COST_CENTERS: Record<Department, string> = {
  Executive: 'CC-100',
  Engineering: 'CC-200',
  Sales: 'CC-300',
  Finance: 'CC-400',
  HR: 'CC-500',
  Operations: 'CC-600',
  Research: 'CC-700',
};
const STAFF_TITLES: Record<Department, readonly string[]> = {
  Executive: ['Executive Assistant'],
  Engineering: ['Software Engineer', 'Senior Software Engineer', 'Site Reliability Engineer', 'QA Engineer'],
  Sales: ['Account Executive', 'Sales Development Representative', 'Solutions Consultant'],
  Finance: ['Accountant', 'Financial Analyst', 'Payroll Specialist'],
  HR: ['HR Business Partner', 'Recruiter', 'People Operations Specialist'],
  Operations: ['Operations Analyst', 'Facilities Coordinator', 'IT Support Specialist'],
  Research: ['Research Scientist', 'Data Scientist', 'Research Engineer'],
};

/** Names per office, so the population looks like its offices (generated staff only; the cast is fixed). */
const NAMES: Record<Office, { first: readonly string[]; last: readonly string[] }> = {
  London: {
    first: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Ava', 'Noah', 'Freya', 'Arjun', 'Niamh', 'Kwame'],
    last: ['Taylor', 'Brown', 'Wilson', 'Evans', 'Patel', 'Walsh', 'Hughes', "O'Connor", 'Mensah', 'Clarke'],
  },
  Berlin: {
    first: ['Jürgen', 'Lena', 'Maximilian', 'Søren', 'Anna', 'Lukas', 'Małgorzata', 'Jonas', 'Émilie', 'Ayşe'],
    last: ['Müller', 'Schröder', 'Weiß', 'Hoffmann', 'Kowalski', 'Neumann', 'Yılmaz', 'Krüger', 'Becker'],
  },
  'New York': {
    first: ['Michael', 'Jessica', 'DeShawn', 'Emily', 'Carlos', 'Sarah', 'Daniel', 'Ashley', 'Mei', 'Tyrone'],
    last: ['Williams', 'Rodriguez', 'Goldberg', 'Johnson', 'Kim', 'Rivera', 'Cohen', 'Washington', 'Lee'],
  },
  'Los Angeles': {
    first: ['Gabriel', 'Sofía', 'Ethan', 'Valentina', 'Jayden', 'Camila', 'Ryan', 'Lucía', 'Andrés'],
    last: ['García', 'Hernández', 'Nguyen', 'Martínez', 'Lopez', 'Park', 'Ramírez', 'Anderson', 'Flores'],
  },
  Sydney: {
    first: ['Jack', 'Chloe', 'William', 'Matilda', 'Liam', 'Ruby', 'Thomas', 'Grace', 'Minh'],
    last: ['Smith', 'Jones', 'Tran', 'Kelly', 'Murphy', 'Ryan', 'Campbell', 'Papadopoulos', 'Singh'],
  },
  Tokyo: {
    first: ['Haruto', 'Yui', 'Sota', 'Hina', '翔太', 'Ren', 'さくら', 'Daiki', 'Mio'],
    last: ['Suzuki', 'Takahashi', '佐藤', 'Ito', 'Yamamoto', '中村', 'Kobayashi', 'Kato', 'Yoshida'],
  },
};

/** A worker as the sample writes them; dates are YYYY-MM-DD, empty strings are empty cells. */
interface Person {
  id: string;
  first: string;
  middle?: string;
  last: string;
  preferredFirst?: string;
  preferredLast?: string;
  email?: string;
  department: Department;
  title: string;
  office: Office;
  managerId?: string;
  type: 'Full-Time' | 'Part-Time' | 'Contractor' | 'Intern';
  status: 'Active' | 'On Leave' | 'Terminated' | 'Rescinded';
  start: string;
  end?: string;
  previousId?: string;
  /** Effective-dated rows: the columns they change (by header), keyed by effective date. */
  future?: { date: string; cells: Record<string, string> }[];
  /** Written instead of the real start date, to make a row the source cannot read. */
  rawStart?: string;
}

const random = createPrng(SEED);
const pick = <T>(list: readonly T[]): T => list[random.nextInt(list.length)]!;

/** An ASCII e-mail local part (generated people only; the cast's addresses are written by hand). */
function emailOf(first: string, last: string, id: string): string {
  const ascii = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase();
  const local = ascii(first) && ascii(last) ? `${ascii(first)}.${ascii(last)}` : id.toLowerCase();
  return `${local}@contoso.com`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A past start date between 2015 and October 2026 (never near the sample's today). */
function pastStart(): string {
  const year = 2015 + random.nextInt(11);
  const month = year === 2026 ? 1 + random.nextInt(10) : 1 + random.nextInt(12);
  return `${year}-${pad(month)}-${pad(1 + random.nextInt(28))}`;
}

function phoneOf(p: Person, index: number): string {
  return `${OFFICES[p.office].phone} ${pad(1000 + index, 4)}`;
}

const FIXED_CAST: Person[] = [
  // The top of the hierarchy.
  {
    id: 'E1000',
    first: 'Margaret',
    last: 'Whitfield',
    department: 'Executive',
    title: 'Chief Executive Officer',
    office: 'London',
    type: 'Full-Time',
    status: 'Active',
    start: '2012-04-02',
  },
  {
    id: 'E1001',
    first: 'Rajesh',
    last: 'Iyer',
    department: 'Engineering',
    title: 'Head of Engineering',
    office: 'London',
    managerId: 'E1000',
    type: 'Full-Time',
    status: 'Active',
    start: '2014-09-01',
  },
  {
    id: 'E1002',
    first: 'Catherine',
    last: 'Dubois',
    department: 'Sales',
    title: 'Head of Sales',
    office: 'New York',
    managerId: 'E1000',
    type: 'Full-Time',
    status: 'Active',
    start: '2015-02-16',
  },
  {
    id: 'E1003',
    first: 'Henrik',
    last: 'Larsen',
    department: 'Finance',
    title: 'Chief Financial Officer',
    office: 'London',
    managerId: 'E1000',
    type: 'Full-Time',
    status: 'Active',
    start: '2016-06-06',
  },
  {
    id: 'E1004',
    first: 'Nomvula',
    last: 'Dlamini',
    department: 'HR',
    title: 'Head of People',
    office: 'London',
    managerId: 'E1000',
    type: 'Full-Time',
    status: 'Active',
    start: '2017-01-09',
  },
  {
    id: 'E1005',
    first: 'Brian',
    last: "O'Sullivan",
    department: 'Operations',
    title: 'Head of Operations',
    office: 'Sydney',
    managerId: 'E1000',
    type: 'Full-Time',
    status: 'Active',
    start: '2016-03-14',
  },
  {
    id: 'E1006',
    first: 'Hiroshi',
    last: 'Yamada',
    department: 'Research',
    title: 'Head of Research',
    office: 'Tokyo',
    managerId: 'E1000',
    type: 'Full-Time',
    status: 'Active',
    start: '2018-10-01',
  },
  // The cast of existing workers (README: "Who is who").
  {
    id: 'E1100',
    first: 'John',
    last: 'Smith',
    department: 'Engineering',
    title: 'Software Engineer',
    office: 'London',
    managerId: 'E1010',
    type: 'Full-Time',
    status: 'Active',
    start: '2021-05-04',
    email: 'john.smith@contoso.com',
  },
  {
    id: 'E1101',
    first: 'John',
    last: 'Smith',
    department: 'Sales',
    title: 'Account Executive',
    office: 'New York',
    managerId: 'E1012',
    type: 'Full-Time',
    status: 'Active',
    start: '2023-08-14',
    email: 'john.smith2@contoso.com',
  },
  {
    id: 'E1102',
    first: 'José',
    last: 'Muñoz',
    preferredFirst: 'Pepe',
    department: 'Sales',
    title: 'Solutions Consultant',
    office: 'Los Angeles',
    managerId: 'E1013',
    type: 'Full-Time',
    status: 'Active',
    start: '2020-02-03',
    email: 'jose.munoz@contoso.com',
  },
  {
    id: 'E1103',
    first: 'Zoë',
    last: 'Ångström',
    department: 'Research',
    title: 'Research Scientist',
    office: 'Berlin',
    managerId: 'E1020',
    type: 'Full-Time',
    status: 'Active',
    start: '2022-11-07',
    email: 'zoe.angstrom@contoso.com',
  },
  {
    id: 'E1104',
    first: '伟',
    last: '王',
    preferredFirst: 'David',
    preferredLast: 'Wang',
    department: 'Engineering',
    title: 'Senior Software Engineer',
    office: 'Sydney',
    managerId: 'E1011',
    type: 'Full-Time',
    status: 'Active',
    start: '2019-07-15',
    email: 'david.wang@contoso.com',
  },
  {
    id: 'E1105',
    first: 'Дмитрий',
    middle: 'Сергеевич',
    last: 'Иванов',
    preferredFirst: 'Dmitry',
    preferredLast: 'Ivanov',
    department: 'Engineering',
    title: 'Site Reliability Engineer',
    office: 'Berlin',
    managerId: 'E1011',
    type: 'Full-Time',
    status: 'Active',
    start: '2018-03-19',
    email: 'dmitry.ivanov@contoso.com',
  },
  {
    id: 'E1106',
    first: 'محمد',
    last: 'علي',
    preferredFirst: 'Mohammed',
    preferredLast: 'Ali',
    department: 'Finance',
    title: 'Financial Analyst',
    office: 'London',
    managerId: 'E1014',
    type: 'Full-Time',
    status: 'Active',
    start: '2024-01-08',
    email: 'mohammed.ali@contoso.com',
  },
  {
    id: 'E1107',
    first: 'Ólafur',
    last: 'Ragnarsson',
    department: 'Operations',
    title: 'IT Support Specialist',
    office: 'London',
    managerId: 'E1018',
    type: 'Full-Time',
    status: 'Active',
    start: '2023-04-03',
    email: 'olafur.ragnarsson@contoso.com',
  },
  {
    id: 'E1108',
    first: 'Charlotte',
    last: 'Nguyen',
    department: 'Operations',
    title: 'Operations Analyst',
    office: 'Sydney',
    managerId: 'E1019',
    type: 'Full-Time',
    status: 'Active',
    start: '2020-09-28',
    end: '2026-12-11',
    email: 'charlotte.nguyen@contoso.com',
  },
  {
    id: 'E1109',
    first: 'Marcus',
    last: 'Johnson',
    department: 'Sales',
    title: 'Account Executive',
    office: 'Los Angeles',
    managerId: 'E1013',
    type: 'Full-Time',
    status: 'Active',
    start: '2021-01-11',
    end: '2026-12-18',
    email: 'marcus.johnson@contoso.com',
  },
  {
    id: 'E1110',
    first: 'Ingrid',
    last: 'Bergström',
    department: 'Finance',
    title: 'Accountant',
    office: 'London',
    managerId: 'E1014',
    type: 'Full-Time',
    status: 'Active',
    start: '2017-05-22',
    end: '2026-12-04',
    email: 'ingrid.bergstrom@contoso.com',
  },
  {
    id: 'E1111',
    first: 'Samuel',
    last: 'Okafor',
    department: 'Engineering',
    title: 'QA Engineer',
    office: 'New York',
    managerId: 'E1010',
    type: 'Full-Time',
    status: 'Terminated',
    start: '2019-03-04',
    end: '2026-06-30',
    email: 'samuel.okafor@contoso.com',
  },
  {
    id: 'E1112',
    first: 'Aiko',
    last: 'Tanaka',
    department: 'Research',
    title: 'Data Scientist (contract)',
    office: 'Tokyo',
    managerId: 'E1021',
    type: 'Contractor',
    status: 'Active',
    start: '2026-01-05',
    end: '2026-12-31',
    email: 'aiko.tanaka@contoso.com',
  },
  {
    id: 'E1113',
    first: 'Lena',
    last: 'Fischer',
    department: 'Engineering',
    title: 'Engineering Intern',
    office: 'Berlin',
    managerId: 'E1011',
    type: 'Intern',
    status: 'Active',
    start: '2026-09-01',
    end: '2027-06-30',
    email: 'lena.fischer@contoso.com',
  },
  {
    id: 'E1114',
    first: 'Tom',
    last: 'Becker',
    department: 'Finance',
    title: 'Finance Intern',
    office: 'London',
    managerId: 'E1014',
    type: 'Intern',
    status: 'Active',
    start: '2026-09-14',
    end: '2027-02-26',
    email: 'tom.becker@contoso.com',
  },
  {
    id: 'E1115',
    first: 'Rachel',
    last: 'Goldman',
    department: 'Engineering',
    title: 'Senior Software Engineer',
    office: 'New York',
    managerId: 'E1010',
    type: 'Full-Time',
    status: 'Active',
    start: '2018-08-20',
    email: 'rachel.goldman@contoso.com',
    future: [{ date: '2027-01-01', cells: { 'Job Title': 'Engineering Manager' } }],
  },
  {
    id: 'E1116',
    first: 'Fatima',
    last: 'Zahra',
    department: 'HR',
    title: 'Recruiter',
    office: 'London',
    managerId: 'E1016',
    type: 'Part-Time',
    status: 'On Leave',
    start: '2021-10-04',
    email: 'fatima.zahra@contoso.com',
  },
  {
    id: 'E1117',
    first: 'Pedro',
    last: 'Alves',
    department: 'Operations',
    title: 'Facilities Coordinator',
    office: 'Los Angeles',
    managerId: 'E1018',
    type: 'Contractor',
    status: 'Active',
    start: '2025-03-03',
    end: '2027-03-31',
    email: 'pedro.alves@contoso.com',
  },
  // Existing workers whom changes.csv changes.
  {
    id: 'E1120',
    first: 'Olivia',
    last: 'Bennett',
    department: 'Sales',
    title: 'Sales Development Representative',
    office: 'New York',
    managerId: 'E1012',
    type: 'Full-Time',
    status: 'Active',
    start: '2022-06-13',
    email: 'olivia.bennett@contoso.com',
  },
  {
    id: 'E1121',
    first: 'Kai',
    last: 'Richter',
    department: 'Engineering',
    title: 'Software Engineer',
    office: 'London',
    managerId: 'E1010',
    type: 'Full-Time',
    status: 'Active',
    start: '2023-02-06',
    email: 'kai.richter@contoso.com',
  },
  {
    id: 'E1122',
    first: 'Beatriz',
    last: 'Costa',
    department: 'HR',
    title: 'HR Business Partner',
    office: 'Berlin',
    managerId: 'E1016',
    type: 'Full-Time',
    status: 'Active',
    start: '2020-11-02',
    email: 'beatriz.costa@contoso.com',
  },
  {
    id: 'E1123',
    first: 'Liam',
    last: "O'Neill",
    department: 'Engineering',
    title: 'Software Engineer',
    office: 'Sydney',
    managerId: 'E1011',
    type: 'Full-Time',
    status: 'Active',
    start: '2021-08-16',
    email: 'liam.oneill@contoso.com',
  },
  {
    id: 'E1124',
    first: 'Grace',
    last: 'Kowalczyk',
    department: 'Finance',
    title: 'Payroll Specialist',
    office: 'New York',
    managerId: 'E1015',
    type: 'Full-Time',
    status: 'Active',
    start: '2019-01-14',
    email: 'grace.kowalczyk@contoso.com',
  },
  {
    id: 'E1125',
    first: 'Takeshi',
    last: 'Mori',
    department: 'Research',
    title: 'Research Engineer',
    office: 'Tokyo',
    managerId: 'E1021',
    type: 'Full-Time',
    status: 'Active',
    start: '2020-04-01',
    email: 'takeshi.mori@contoso.com',
  },
  {
    id: 'E1126',
    first: 'Emily',
    last: 'Clark',
    department: 'Sales',
    title: 'Account Executive',
    office: 'London',
    managerId: 'E1012',
    type: 'Full-Time',
    status: 'Active',
    start: '2022-01-10',
    email: 'emily.clark@contoso.com',
  },
  // Future hires.
  {
    id: 'E1900',
    first: 'Priya',
    last: 'Raman',
    department: 'Engineering',
    title: 'Staff Software Engineer',
    office: 'London',
    managerId: 'E1010',
    type: 'Full-Time',
    status: 'Active',
    start: '2027-03-01',
    email: 'priya.raman@contoso.com',
  },
  {
    id: 'E1901',
    first: 'Felix',
    last: 'Wagner',
    department: 'Engineering',
    title: 'Software Engineer',
    office: 'Berlin',
    managerId: 'E1011',
    type: 'Full-Time',
    status: 'Active',
    start: '2027-01-04',
    email: 'felix.wagner@contoso.com',
  },
  {
    id: 'E1902',
    first: 'Sophie',
    last: 'Martin',
    department: 'Sales',
    title: 'Account Executive',
    office: 'New York',
    managerId: 'E1012',
    type: 'Full-Time',
    status: 'Active',
    start: '2027-01-18',
    email: 'sophie.martin@contoso.com',
  },
];

/** Twelve managers: two per department, each under their head. */
const MANAGER_PLAN: { id: string; department: StaffDepartment; office: Office; head: string }[] = [
  { id: 'E1010', department: 'Engineering', office: 'London', head: 'E1001' },
  { id: 'E1011', department: 'Engineering', office: 'Berlin', head: 'E1001' },
  { id: 'E1012', department: 'Sales', office: 'New York', head: 'E1002' },
  { id: 'E1013', department: 'Sales', office: 'Los Angeles', head: 'E1002' },
  { id: 'E1014', department: 'Finance', office: 'London', head: 'E1003' },
  { id: 'E1015', department: 'Finance', office: 'New York', head: 'E1003' },
  { id: 'E1016', department: 'HR', office: 'London', head: 'E1004' },
  { id: 'E1017', department: 'HR', office: 'Sydney', head: 'E1004' },
  { id: 'E1018', department: 'Operations', office: 'Los Angeles', head: 'E1005' },
  { id: 'E1019', department: 'Operations', office: 'Sydney', head: 'E1005' },
  { id: 'E1020', department: 'Research', office: 'Berlin', head: 'E1006' },
  { id: 'E1021', department: 'Research', office: 'Tokyo', head: 'E1006' },
];

const STAFF_COUNT = 152;

/** Full names already used, so the only collision is the documented John Smith pair. */
const usedNames = new Set(FIXED_CAST.map((p) => `${p.first} ${p.last}`));

function uniqueName(office: Office): { first: string; last: string } {
  for (;;) {
    const first = pick(NAMES[office].first);
    const last = pick(NAMES[office].last);
    if (!usedNames.has(`${first} ${last}`)) {
      usedNames.add(`${first} ${last}`);
      return { first, last };
    }
  }
}

function generatedPerson(id: string, department: Department, office: Office, title: string, managerId: string): Person {
  const { first, last } = uniqueName(office);
  const roll = random.nextInt(20);
  const type = roll === 0 ? 'Contractor' : roll === 1 ? 'Part-Time' : 'Full-Time';
  const person: Person = {
    id,
    first,
    last,
    department,
    title,
    office,
    managerId,
    type,
    status: 'Active',
    start: pastStart(),
  };
  if (type === 'Contractor') person.end = `2027-${pad(4 + random.nextInt(6))}-30`;
  return person;
}

function population(): Person[] {
  const managers = MANAGER_PLAN.map((m) =>
    generatedPerson(m.id, m.department, m.office, `${m.department === 'HR' ? 'People' : m.department} Manager`, m.head),
  );
  for (const m of managers) m.type = 'Full-Time';
  const staff: Person[] = [];
  for (let i = 0; i < STAFF_COUNT; i++) {
    const manager = MANAGER_PLAN[i % MANAGER_PLAN.length]!;
    staff.push(
      generatedPerson(
        `E${2000 + i}`,
        manager.department,
        manager.office,
        pick(STAFF_TITLES[manager.department]),
        manager.id,
      ),
    );
  }
  const people = [...FIXED_CAST.slice(0, 7), ...managers, ...FIXED_CAST.slice(7), ...staff];
  people.forEach((p) => (p.email ??= emailOf(p.first, p.last, p.id)));
  return people;
}

/** changes.csv: the same population with two weeks of HR changes applied. */
function applyChanges(base: readonly Person[]): Person[] {
  const people = base.map((p) => ({ ...p, future: p.future?.map((f) => ({ ...f, cells: { ...f.cells } })) }));
  const byId = new Map(people.map((p) => [p.id, p]));
  const change = (id: string, apply: (p: Person) => void) => apply(byId.get(id)!);
  // Movers.
  change('E1120', (p) => Object.assign(p, { department: 'Finance', title: 'Financial Analyst', managerId: 'E1015' }));
  change('E1121', (p) => Object.assign(p, { office: 'Berlin', managerId: 'E1011' }));
  change('E1122', (p) => Object.assign(p, { title: 'Senior HR Business Partner', managerId: 'E1004' }));
  change('E1123', (p) => {
    p.future = [
      {
        date: '2027-01-04',
        cells: {
          Department: 'Research',
          'Job Title': 'Research Engineer',
          Location: 'Tokyo',
          'Time Zone': OFFICES.Tokyo.zone,
          'Manager ID': 'E1021',
        },
      },
    ];
  });
  // Leavers.
  change('E1124', (p) => (p.end = '2026-12-31'));
  change('E1125', (p) => (p.end = '2027-01-15'));
  // A name change (marriage).
  change('E1126', (p) => Object.assign(p, { last: 'Davis', email: 'emily.davis@contoso.com' }));
  // A hire that will not happen.
  change('E1902', (p) => (p.status = 'Rescinded'));
  // A former worker who comes back under their old id.
  change('E1111', (p) =>
    Object.assign(p, {
      status: 'Active',
      start: '2027-01-11',
      end: undefined,
      managerId: 'E1015',
      department: 'Engineering',
      office: 'New York',
    }),
  );
  const arrivals: Person[] = [
    // The report starts before their manager.
    {
      id: 'E1903',
      first: 'Kenji',
      last: 'Watanabe',
      department: 'Research',
      title: 'Research Lab Manager',
      office: 'Tokyo',
      managerId: 'E1006',
      type: 'Full-Time',
      status: 'Active',
      start: '2027-02-01',
      email: 'kenji.watanabe@contoso.com',
    },
    {
      id: 'E1904',
      first: 'Yuki',
      last: 'Sato',
      department: 'Research',
      title: 'Research Scientist',
      office: 'Tokyo',
      managerId: 'E1903',
      type: 'Full-Time',
      status: 'Active',
      start: '2026-12-14',
      email: 'yuki.sato@contoso.com',
    },
    // The contractor becomes an employee under a new id when the contract ends.
    {
      id: 'E1905',
      first: 'Aiko',
      last: 'Tanaka',
      department: 'Research',
      title: 'Data Scientist',
      office: 'Tokyo',
      managerId: 'E1021',
      type: 'Full-Time',
      status: 'Active',
      start: '2027-01-04',
      previousId: 'E1112',
      email: 'aiko.tanaka@contoso.com',
    },
    // Ingrid, leaving on 2026-12-04, is rehired under a new id from March.
    {
      id: 'E1906',
      first: 'Ingrid',
      last: 'Bergström',
      department: 'Finance',
      title: 'Senior Accountant',
      office: 'London',
      managerId: 'E1014',
      type: 'Full-Time',
      status: 'Active',
      start: '2027-03-15',
      previousId: 'E1110',
      email: 'ingrid.bergstrom@contoso.com',
    },
    // A start date typed the British way into a YYYY-MM-DD column: the source cannot read the row.
    {
      id: 'E1907',
      first: 'Chidi',
      last: 'Okonkwo',
      department: 'Operations',
      title: 'Operations Analyst',
      office: 'London',
      managerId: 'E1018',
      type: 'Full-Time',
      status: 'Active',
      start: '2027-01-13',
      rawStart: '13/01/2027',
      email: 'chidi.okonkwo@contoso.com',
    },
    // Readable, but the last day is before the first: the planner quarantines it.
    {
      id: 'E1908',
      first: 'Mateo',
      last: 'Silva',
      department: 'Sales',
      title: 'Account Executive',
      office: 'Los Angeles',
      managerId: 'E1013',
      type: 'Contractor',
      status: 'Active',
      start: '2027-01-11',
      end: '2027-01-04',
      email: 'mateo.silva@contoso.com',
    },
  ];
  return [...people, ...arrivals];
}

/** The default layout's headers, in its order. */
const HEADERS = Object.values(DEFAULT_CSV_COLUMNS).map((c) => (typeof c === 'string' ? c : c.header));

function rowsOf(p: Person, index: number): Record<string, string>[] {
  const main: Record<string, string> = {
    'Employee ID': p.id,
    'First Name': p.first,
    'Middle Name': p.middle ?? '',
    'Last Name': p.last,
    'Preferred First Name': p.preferredFirst ?? '',
    'Preferred Last Name': p.preferredLast ?? '',
    'Work Email': p.email ?? '',
    'Work Phone': phoneOf(p, index),
    'Mobile Phone': '',
    Department: p.department,
    'Job Title': p.title,
    'Cost Center': COST_CENTERS[p.department],
    Location: p.office,
    Company: COMPANY,
    'Manager ID': p.managerId ?? '',
    'Employee Type': p.type,
    Status: p.status,
    'Start Date': p.rawStart ?? p.start,
    'Termination Date': p.end ?? '',
    'Time Zone': OFFICES[p.office].zone,
    'Previous Employee ID': p.previousId ?? '',
    'Effective Date': '',
  };
  const future = (p.future ?? []).map((f) => ({ 'Employee ID': p.id, 'Effective Date': f.date, ...f.cells }));
  return [main, ...future];
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvOf(people: readonly Person[]): string {
  const lines = [HEADERS.map(csvCell).join(',')];
  people.forEach((p, i) => {
    for (const row of rowsOf(p, i)) lines.push(HEADERS.map((h) => csvCell(row[h] ?? '')).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

function mappingConfig(): unknown {
  const offices = Object.keys(OFFICES) as Office[];
  return createDefaultMappingConfig({
    domainDn: DOMAIN,
    upnSuffix: 'contoso.com',
    locationOus: Object.fromEntries(offices.map((o) => [o, `OU=${o},OU=Users,${DOMAIN}`])),
    locationTimeZones: Object.fromEntries(offices.map((o) => [o, OFFICES[o].zone])),
  });
}

function main(): void {
  const base = population();
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'workers.csv'), csvOf(base));
  writeFileSync(join(OUT, 'changes.csv'), csvOf(applyChanges(base)));
  writeFileSync(join(OUT, 'mapping-config.json'), `${JSON.stringify(mappingConfig(), null, 2)}\n`);
  console.log(`wrote ${base.length} workers to ${OUT}`);
}

main();
