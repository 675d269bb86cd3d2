/**
 * Preview (dry run) over a whole snapshot: per worker the classification, the plan and the
 * attribute-level diff against the last known state, as JSON data and as readable text.
 */
import { previewCycle, renderPreviewText, type PreviewReport } from '../../../shared/planner';
import { ada, CONFIG, DISABLED_OU, LONDON_OU, runCycles } from './fixtures';

const BEFORE = '2025-03-01T09:00:00.000Z';
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
      /^workday:1001: pre-hire \(lifecycle, account-created, .*\) — planned$/m,
      '  account: none → exists',
      '  employeeID: (not set) → "1001"  (on create only)',
      '  2. 2025-03-10T00:00:00.000Z  EnableAccount in OU=London,OU=Users,DC=corp,DC=example,DC=test  [enable-at-start]',
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
];

describe('preview', () => {
  it.each(TABLE)('%s', (_situation, make, json, text) => {
    const report = make();
    json(report);
    // The JSON form is the data itself: it survives serialisation unchanged.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.kind).toBe('hr2ad-preview');
    const rendered = renderPreviewText(report);
    for (const expected of text) {
      if (typeof expected === 'string') expect(rendered.split('\n')).toContain(expected);
      else expect(rendered).toMatch(expected);
    }
    expect(renderPreviewText(report)).toBe(rendered);
  });
});
