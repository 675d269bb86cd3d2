/**
 * Preview (dry run) over a whole snapshot: per worker the classification, the plan and the
 * attribute-level diff against the last known state, as JSON data and as readable text; both renderings
 * streamed in chunks, the text one unable to carry a forged line.
 */
import fc from 'fast-check';
import {
  previewCycle,
  renderPreviewJson,
  renderPreviewText,
  type PreviewReport,
  type PreviewWorker,
} from '../../../shared/planner';
import { jsonQuoted } from '../../../shared/planner/preview';
import { ada, CONFIG, DISABLED_OU, LONDON_OU, runCycles } from './fixtures';

const BEFORE = '2025-03-01T09:00:00.000Z';

const text = (report: PreviewReport): string => [...renderPreviewText(report)].join('');
const json = (report: PreviewReport): string => [...renderPreviewJson(report)].join('');
const NOW = new Date('2025-03-03T09:00:00.000Z');

function preview(previous: readonly unknown[], current: readonly unknown[], changesOnly = false): PreviewReport {
  const states = new Map(
    runCycles([{ at: BEFORE, records: previous }]).result.results.flatMap((r) =>
      r.nextState ? [[r.workerKey, r.nextState] as const] : [],
    ),
  );
  return previewCycle({ records: current, states, config: CONFIG, now: NOW, changesOnly });
}

type Row = [
  situation: string,
  report: () => PreviewReport,
  json: (report: PreviewReport) => void,
  text: readonly (string | RegExp)[],
];

const TABLE: Row[] = [
  [
    'a mover: the department diff and the immediate upsert',
    () => preview([ada()], [ada({ department: 'Research' })]),
    (report) => {
      expect(report.summary.mover).toBe(1);
      expect(report.workers[0]).toMatchObject({
        workerKey: 'workday:1001',
        classification: 'mover',
        outcome: 'planned',
      });
      expect(report.workers[0]!.diff.attributes).toEqual([
        { attribute: 'department', before: 'Engineering', after: 'Research', apply: 'always' },
      ]);
    },
    [
      'workers: mover 1',
      'workday:1001: mover (department) — planned',
      '  department: "Engineering" → "Research"',
      `  1. now  UpsertAccount enabled in ${LONDON_OU}  [sync]`,
    ],
  ],
  [
    'a scheduled leaver: the dated disable and the lifecycle change',
    () => preview([ada()], [ada({ terminationDate: '2025-03-31' })]),
    (report) => {
      expect(report.workers[0]!.diff.phase).toEqual({ before: 'active', after: 'terminated' });
      expect(report.workers[0]!.diff.parentOu).toEqual({ before: LONDON_OU, after: DISABLED_OU });
    },
    [
      'workday:1001: leaver (terminationDate, lifecycle, parentOu, enabled) — planned',
      '  lifecycle: active → terminated',
      `  OU: ${LONDON_OU} → ${DISABLED_OU}`,
      '  enabled: true → false',
      `  2. 2025-03-31T23:00:00.000Z  DisableAccount and move to ${DISABLED_OU}  [disable-at-termination]`,
    ],
  ],
  [
    'a joiner: everything new, on-create values marked',
    () => preview([], [ada({ hireDate: '2025-03-10' })]),
    (report) => {
      expect(report.workers[0]!.diff.account).toEqual({ before: false, after: true });
      expect(report.workers[0]!.diff.attributes).toContainEqual({
        attribute: 'employeeID',
        before: undefined,
        after: '1001',
        apply: 'on-create',
      });
    },
    [
      /^workday:1001: pre-hire \(lifecycle, account-created\) — planned$/m,
      '  account: none → exists',
      '  employeeID: (not set) → "1001"  (on create only)',
      '  2. 2025-03-10T00:00:00.000Z  EnableAccount in OU=London,OU=Users,DC=corp,DC=example,DC=test  [enable-at-start]',
      // The identifiers the agent chooses from, under the create step.
      /^ {2}↳ sAMAccountName: first free of \["alovelace", "adlovelace", "adalovelace", "lovelace1001", "u1001"\]$/m,
      /^ {2}↳ userPrincipalName: first free of \["Ada\.Lovelace@corp\.example\.test", /m,
      /^ {2}↳ cn: first free of \["Ada Lovelace", "Ada Lovelace 1001"\]$/m,
    ],
  ],
  [
    'a quarantined record: its reasons, and nothing planned',
    () => preview([], [ada({ id: '9', terminationDate: '2020-01-01' })]),
    (report) => {
      expect(report.quarantined).toEqual([expect.objectContaining({ workerKey: 'workday:9' })]);
      expect(report.workers[0]!.plan).toBeNull();
    },
    [
      'quarantined: 1',
      'workday:9: invalid — quarantined',
      /! terminationDate: the last day of work 2020-01-01 is before the hire date/,
    ],
  ],
  [
    'nothing changed: unchanged workers listed in JSON only, or left out on request',
    () => preview([ada(), ada({ id: '2' })], [ada(), ada({ id: '2', title: 'Lead' })], true),
    (report) => {
      expect(report.workers.map((w) => w.workerKey)).toEqual(['workday:2']);
      expect(report.summary['no-op']).toBe(1);
    },
    ['workers: mover 1, no-op 1', /^workday:2: mover \(title\) — planned$/m],
  ],
  [
    'a mover keeps its identifiers: no candidates shown unless they follow name changes',
    () => preview([ada()], [ada({ title: 'Lead' })], true),
    (report) => expect(report.workers).toHaveLength(1),
    [/^workday:1001: mover \(title\) — planned$/m, /^(?![\s\S]*first free of)/],
  ],
];

describe('preview', () => {
  it.each(TABLE)('%s', (_situation, make, check, lines) => {
    const report = make();
    check(report);
    // The JSON form is the data itself: it survives serialisation unchanged.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.kind).toBe('hr2ad-preview');
    const rendered = text(report);
    for (const expected of lines) {
      if (typeof expected === 'string') expect(rendered.split('\n')).toContain(expected);
      else expect(rendered).toMatch(expected);
    }
    expect(text(report)).toBe(rendered);
    // The streamed JSON is one valid document with the report's top-level fields.
    const parsed = JSON.parse(json(report)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'kind',
      'generatedAt',
      'configFingerprint',
      'summary',
      'hold',
      'quarantined',
      'missing',
      'workers',
    ]);
    expect(parsed.workers).toHaveLength(report.workers.length);
  });
});

/** HR values meant to break a line or reorder one, each with the escaped form the text must show. */
const HOSTILE: readonly [name: string, value: string, shown: string][] = [
  ['line feed', 'Ada\nworkday:666: joiner — planned', 'Ada\\nworkday:666: joiner — planned'],
  ['carriage return', 'Ada\rEVIL', 'Ada\\rEVIL'],
  ['CRLF', 'Ada\r\nEVIL', 'Ada\\r\\nEVIL'],
  ['right-to-left override', 'Ada\u202Edenetalp', 'Ada\\u202Edenetalp'],
  ['left-to-right isolate', 'Ada\u2066x\u2069', 'Ada\\u2066x\\u2069'],
  ['zero-width space', 'Ad\u200Ba', 'Ad\\u200Ba'],
  ['next line (C1)', 'Ada\u0085EVIL', 'Ada\\u0085EVIL'],
  ['line separator', 'Ada\u2028EVIL', 'Ada\\u2028EVIL'],
];

describe('jsonQuoted', () => {
  it('quotes any string exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string()), (value) => {
        expect(jsonQuoted(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it.each(['plain', "O'Brien", 'say "hi"', 'back\\slash', 'tab\there', '\u0000', 'lone \ud800', '👩‍💻', '\u202e'])(
    'quotes %j',
    (value) => expect(jsonQuoted(value)).toBe(JSON.stringify(value)),
  );
});

describe('preview text cannot be forged by HR values', () => {
  const UNSAFE = /[\r\u0085\u2028\u202E\u2066\u2069\u200B]/;

  it.each(HOSTILE)('a %s in the worker id, department and title stays on its line', (_name, value, shown) => {
    const rendered = text(preview([], [ada({ id: `1${value}`, department: value, title: value })]));
    const lines = rendered.split('\n');
    expect(rendered).not.toMatch(UNSAFE);
    // One worker, one header line; everything else of the block is indented under it.
    const headers = lines.filter((l) => l.startsWith('workday:'));
    expect(headers).toHaveLength(1);
    expect(headers[0]).toContain(`workday:1${shown}: `);
    const block = lines.slice(lines.indexOf(headers[0]!) + 1).filter((l) => l !== '');
    for (const line of block) expect(line).toMatch(/^ {2}\S/);
  });

  it.each(HOSTILE)('a %s in a name that is planned is shown escaped, never raw', (_name, value) => {
    const rendered = text(preview([], [ada({ preferredName: { first: `A${value}` } })]));
    expect(rendered).not.toMatch(UNSAFE);
    expect(rendered.split('\n').filter((l) => l.startsWith('workday:'))).toHaveLength(1);
  });

  it('a hostile worker id cannot forge a quarantine line', () => {
    const report = preview([], [{ source: 'workday', id: 'x\n  ! hireDate: fine' }]);
    const rendered = text(report);
    expect(rendered).toContain('workday:x\\n  ! hireDate: fine: invalid — quarantined');
    expect(rendered.split('\n').filter((l) => l.startsWith('  ! hireDate'))).toHaveLength(1);
  });
});

describe('warnings and employment status', () => {
  const base = preview([], [ada()]);
  const worker = base.workers[0]!;
  const withExtras = (w: Partial<PreviewWorker>): PreviewReport => ({ ...base, workers: [{ ...worker, ...w }] });
  const WARNING = { workerKey: 'workday:1001', path: 'managerId', message: 'manager 900 is not in the snapshot' };

  it.each([
    [
      'warnings as "~ path: message" lines',
      { warnings: [WARNING] },
      '  ~ managerId: manager 900 is not in the snapshot',
    ],
    [
      'a status other than active in the header',
      { employmentStatus: 'on-leave' },
      /^workday:1001: joiner \(.*\) \[on-leave\] — planned$/m,
    ],
    [
      'no status in the header when active',
      { employmentStatus: 'active' },
      /^workday:1001: joiner \([^[]*\) — planned$/m,
    ],
  ] as [string, Partial<PreviewWorker>, string | RegExp][])('%s', (_name, extra, expected) => {
    const rendered = text(withExtras(extra));
    if (typeof expected === 'string') expect(rendered.split('\n')).toContain(expected);
    else expect(rendered).toMatch(expected);
  });

  it('an unchanged worker with a warning is still shown', () => {
    const rendered = text(withExtras({ outcome: 'unchanged', details: [], plan: null, warnings: [WARNING] }));
    expect(rendered).toContain('  ~ managerId: manager 900 is not in the snapshot');
  });

  it('JSON carries both', () => {
    const parsed = JSON.parse(json(withExtras({ warnings: [WARNING], employmentStatus: 'on-leave' }))) as {
      workers: Array<Record<string, unknown>>;
    };
    expect(parsed.workers[0]).toMatchObject({ employmentStatus: 'on-leave', warnings: [WARNING] });
  });
});

describe('JSON preview is compact', () => {
  it('drops empty fields and the envelope fields a step implies, and keeps the rest', () => {
    const report = preview([ada(), ada({ id: '2' })], [ada(), ada({ id: '2', title: 'Lead' })]);
    const parsed = JSON.parse(json(report)) as {
      workers: Array<{ plan: { steps: Array<{ command: object }> }; diff: { attributes: unknown[] } }>;
    };
    const [unchanged, mover] = parsed.workers;
    expect(unchanged).toMatchObject({ workerKey: 'workday:1001', classification: 'no-op', outcome: 'unchanged' });
    for (const empty of ['details', 'issues', 'diff', 'plan']) expect(unchanged).not.toHaveProperty(empty);
    const step = mover!.plan.steps[0]!;
    expect(step.command).not.toHaveProperty('workerKey');
    expect(step.command).not.toHaveProperty('commandId');
    expect(step.command).not.toHaveProperty('issuedAt');
    expect(step.command).toMatchObject({
      kind: 'UpsertAccount',
      sequence: expect.any(Number),
      expiresAt: expect.any(String),
    });
    expect(mover!.plan).not.toHaveProperty('workerKey');
    expect(mover!.diff.attributes).toEqual([
      { attribute: 'title', before: 'Engineer', after: 'Lead', apply: 'always' },
    ]);
    expect(step).not.toHaveProperty('index');
    expect(step).not.toHaveProperty('immediate');
    expect(mover!.plan).not.toHaveProperty('createdAt');
  });

  it("a joiner's diff says only that the account is created; the create command carries the rest", () => {
    const report = preview([], [ada()]);
    const parsed = JSON.parse(json(report)) as { workers: Array<{ diff: object; details: string[] }> };
    const [joiner] = parsed.workers;
    expect(joiner!.diff).toEqual({ phase: { before: null, after: 'active' }, account: { before: false, after: true } });
    expect(joiner!.details).toEqual(['lifecycle', 'account-created']);
  });

  it('streams one worker per line, in chunks, never the whole report at once', () => {
    const many = Array.from({ length: 600 }, (_, i) => ada({ id: String(5000 + i) }));
    const report = preview([], many);
    const chunks = [...renderPreviewJson(report)];
    expect(chunks.length).toBeGreaterThan(3);
    const whole = chunks.join('');
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(whole.length / 2);
    expect(whole.split('\n').filter((l) => l.startsWith('{"workerKey"'))).toHaveLength(600);
    expect((JSON.parse(whole) as { workers: unknown[] }).workers).toHaveLength(600);
    expect([...renderPreviewText(report)].length).toBeGreaterThan(3);
  });
});
