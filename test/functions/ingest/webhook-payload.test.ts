/**
 * Worker ids out of webhook payloads by path (`workerIds`, `employees[].id`, `data.employee.id`):
 * trimmed, deduplicated, numbers as digits; refused when the path finds nothing usable, when an id is
 * empty or carries a control character, and beyond 1000 workers.
 */
import {
  MAX_WEBHOOK_WORKER_IDS,
  payloadPathProblem,
  workerIdsFromPayload,
} from '../../../functions/ingest/webhook-payload';

describe('workerIdsFromPayload', () => {
  /** Payload, path → ids. */
  const FOUND: [string, unknown, string, string[]][] = [
    ['an array at a key', { workerIds: ['1001', '1002'] }, 'workerIds', ['1001', '1002']],
    ['numbers as digits', { workerIds: [1001, '1002'] }, 'workerIds', ['1001', '1002']],
    ['one id at a key', { workerIds: '1001' }, 'workerIds', ['1001']],
    ['ids trimmed and deduplicated, first seen first', { workerIds: [' 2 ', '1', '2', 1] }, 'workerIds', ['2', '1']],
    ['an empty list', { workerIds: [] }, 'workerIds', []],
    [
      'the id of each element',
      { event: 'changed', employees: [{ id: 'E1', name: 'Ada' }, { id: 7 }] },
      'employees[].id',
      ['E1', '7'],
    ],
    ['a single nested value', { data: { employee: { id: ' W-42 ' } } }, 'data.employee.id', ['W-42']],
    [
      'arrays walked at several levels',
      { batches: [{ workers: [{ id: 'a' }, { id: 'b' }] }, { workers: [{ id: 'a' }] }] },
      'batches[].workers[].id',
      ['a', 'b'],
    ],
  ];

  it.each(FOUND)('finds %s', (_, body, path, ids) => {
    expect(workerIdsFromPayload(body, path)).toEqual({ ok: true, ids });
  });

  /** Payload, path → the refusal's detail. */
  const REFUSED: [string, unknown, string, string][] = [
    ['a missing key', { workers: ['1'] }, 'workerIds', 'workerIds is missing'],
    ['a payload that is not an object', ['1'], 'workerIds', 'the payload is an array, not an object'],
    ['a non-array under []', { employees: { id: '1' } }, 'employees[].id', 'employees is an object, not an array'],
    [
      'an element without the key',
      { employees: [{ id: '1' }, { name: 'x' }] },
      'employees[].id',
      'employees[1].id is missing',
    ],
    ['a walk through a string', { data: 'x' }, 'data.employee.id', 'data is a string, not an object'],
    [
      'an object as an id',
      { workerIds: [{ id: '1' }] },
      'workerIds',
      'workerIds[0] is an object, not a worker id (a string or an integer)',
    ],
    [
      'null as an id',
      { workerIds: [null] },
      'workerIds',
      'workerIds[0] is null, not a worker id (a string or an integer)',
    ],
    [
      'a fraction as an id',
      { workerIds: [1.5] },
      'workerIds',
      'workerIds[0] is a number, not a worker id (a string or an integer)',
    ],
    [
      'a nested array',
      { workerIds: [['1']] },
      'workerIds',
      'workerIds[0] is an array, not a worker id (a string or an integer)',
    ],
    ['an empty id', { workerIds: ['1', '  '] }, 'workerIds', 'workerIds[1] is empty'],
    ['an over-long id', { workerIds: ['x'.repeat(129)] }, 'workerIds', 'workerIds[0] is longer than 128 characters'],
    ['a path with a bad key', { workerIds: ['1'] }, 'worker ids', 'the path "worker ids" must be keys joined by dots'],
  ];

  it.each(REFUSED)('refuses %s', (_, body, path, detail) => {
    expect(workerIdsFromPayload(body, path)).toEqual({ ok: false, detail: expect.stringContaining(detail) });
  });

  it('refuses a control character inside an id, naming where it is', () => {
    const result = workerIdsFromPayload({ employees: [{ id: '1' }, { id: '10\u000002' }] }, 'employees[].id');
    expect(result).toEqual({ ok: false, detail: expect.stringMatching(/^employees\[1\]\.id .*control character/) });
  });

  it('does not reach inherited properties', () => {
    expect(workerIdsFromPayload({}, 'constructor')).toEqual({ ok: false, detail: 'constructor is missing' });
  });

  it(`takes ${MAX_WEBHOOK_WORKER_IDS} workers and refuses one more (duplicates not counted)`, () => {
    const ids = Array.from({ length: MAX_WEBHOOK_WORKER_IDS }, (_, i) => String(i));
    expect(workerIdsFromPayload({ workerIds: [...ids, ...ids] }, 'workerIds')).toEqual({ ok: true, ids });
    expect(workerIdsFromPayload({ workerIds: [...ids, 'one-more'] }, 'workerIds')).toEqual({
      ok: false,
      detail: `the payload names more than ${MAX_WEBHOOK_WORKER_IDS} workers`,
    });
  });
});

describe('payloadPathProblem', () => {
  it.each(['workerIds', 'employees[].id', 'data.employee.id', 'a[].b[].c', 'employee-ids', 'x_1'])(
    'accepts %s',
    (path) => {
      expect(payloadPathProblem(path)).toBeNull();
    },
  );

  it.each(['', '.', 'a..b', 'a.', 'a[0].id', 'a[]]', 'a b', 'a[].'])('refuses "%s"', (path) => {
    expect(payloadPathProblem(path)).toMatch(/^must be keys joined by dots/);
  });
});
