/**
 * A record identical to the stored (validated) one can skip validation: `isStoredRecord` says so only
 * when parsing the record would give exactly the stored worker. Rows pair an incoming record with the
 * stored record it is compared against.
 */
import { isStoredRecord, validateWorker, type Worker, type WorkerInput } from '../../../shared/worker';

const base: WorkerInput = {
  source: 'workday',
  id: '1001',
  legalName: { first: 'Ada', last: 'Lovelace' },
  preferredName: { first: 'Augusta' },
  department: 'Engineering',
  employeeType: 'employee',
  employmentStatus: 'active',
  hireDate: '2024-01-08',
  customFields: { BadgeNumber: 7 },
  future: [{ effectiveDate: '2025-01-01', changes: { title: 'Lead' } }],
};

function stored(input: WorkerInput): Worker {
  const v = validateWorker(input);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.value.worker;
}

type Row = [situation: string, incoming: unknown, against: WorkerInput, same: boolean];

const TABLE: Row[] = [
  ['the same record as sent before', base, base, true],
  ['the stored (parsed) form itself', stored(base), base, true],
  [
    'defaults written out explicitly',
    { ...base, email: null, phone: { work: null, mobile: null }, terminationDate: null, previousId: null },
    base,
    true,
  ],
  ['a changed department', { ...base, department: 'Research' }, base, false],
  ['a field that would be trimmed', { ...base, department: ' Engineering ' }, base, false],
  ['a new middle name', { ...base, legalName: { first: 'Ada', middle: 'B', last: 'Lovelace' } }, base, false],
  ['the preferred name removed', { ...base, preferredName: undefined }, base, false],
  ['a changed custom field', { ...base, customFields: { BadgeNumber: 8 } }, base, false],
  ['custom fields left out where some are stored', { ...base, customFields: undefined }, base, false],
  [
    'a changed effective-dated entry',
    { ...base, future: [{ effectiveDate: '2025-02-01', changes: { title: 'Lead' } }] },
    base,
    false,
  ],
  ['an unknown field', { ...base, nickname: 'Ada' }, base, false],
  ['not an object', 'Ada', base, false],
];

describe('isStoredRecord', () => {
  it.each(TABLE)('%s', (_situation, incoming, against, same) => {
    const previous = stored(against);
    expect(isStoredRecord(incoming, previous)).toBe(same);
    // Soundness: whenever it says "same", validating would indeed give the stored worker.
    if (same) expect(validateWorker(incoming)).toMatchObject({ ok: true, value: { worker: previous } });
  });
});
