/**
 * `hr2ad preview` over the example snapshot, with injected I/O: the text and JSON reports, and the
 * usage errors. The table lists each invocation and what it must print.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPreviewCommand } from '../../../functions/cli/preview-command';

const root = join(__dirname, '../../..');
const files: Record<string, string> = {
  'hr.json': readFileSync(join(root, 'examples/hr-snapshot.json'), 'utf8'),
  'broken.json': '{ not json',
  'object.json': '{"id": 1}',
  'bad-config.json': JSON.stringify({ version: 1, attributeMappings: [], surprise: true }),
};

async function run(argv: string[], stdin = '') {
  let out = '';
  let err = '';
  const code = await runPreviewCommand(argv, {
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return text;
    },
    readStdin: async () => stdin,
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    now: new Date('2026-11-21T12:00:00Z'),
  });
  return { code, out, err };
}

type Row = [invocation: string, argv: string[], code: number, check: (r: { out: string; err: string }) => void];

const TABLE: Row[] = [
  [
    'text report of the example snapshot',
    ['--snapshot', 'hr.json'],
    0,
    ({ out }) => {
      expect(out).toMatch(/^hr2ad preview at 2026-11-21T12:00:00.000Z/);
      expect(out).toContain('workers: joiner 3, pre-hire 1, invalid 1');
      // Katherine starts on 3 Feb 2030 in Sydney: midnight there is 13:00 UTC the day before (AEDT).
      expect(out).toContain('2030-02-02T13:00:00.000Z  EnableAccount');
    },
  ],
  [
    'JSON report',
    ['--snapshot', 'hr.json', '--json', '--changes-only'],
    0,
    ({ out }) => {
      const report = JSON.parse(out) as {
        kind: string;
        quarantined: Array<{ workerKey: string; issues: Array<{ path: string }> }>;
        workers: unknown[];
      };
      expect(report.kind).toBe('hr2ad-preview');
      expect(report.workers).toHaveLength(5); // four plans and the quarantined record
      expect(report.quarantined[0]!.workerKey).toBe('workday:1005');
      expect(report.quarantined[0]!.issues.map((i) => i.path)).toEqual(
        expect.arrayContaining(['legalName.first', 'hireDate']),
      );
    },
  ],
  ['snapshot from stdin', ['--snapshot', '-'], 0, ({ out }) => expect(out).toContain('workers: joiner 3')],
  ['missing --snapshot', [], 2, ({ err }) => expect(err).toContain('--snapshot is required')],
  [
    'unknown option',
    ['--snapshot', 'hr.json', '--force'],
    2,
    ({ err }) => expect(err).toContain('unknown option --force'),
  ],
  [
    'snapshot not JSON',
    ['--snapshot', 'broken.json'],
    2,
    ({ err }) => expect(err).toMatch(/snapshot broken.json is not JSON/),
  ],
  [
    'snapshot not an array',
    ['--snapshot', 'object.json'],
    2,
    ({ err }) => expect(err).toContain('must be a JSON array'),
  ],
  [
    'invalid configuration names the key',
    ['--snapshot', 'hr.json', '--config', 'bad-config.json'],
    2,
    ({ err }) => expect(err).toMatch(/mapping configuration is invalid:[\s\S]*surprise/),
  ],
  [
    'bad --now',
    ['--snapshot', 'hr.json', '--now', 'yesterday'],
    2,
    ({ err }) => expect(err).toContain('--now yesterday is not an ISO-8601 instant'),
  ],
];

describe('hr2ad preview', () => {
  it.each(TABLE)('%s', async (_name, argv, code, check) => {
    const result = await run(argv, files['hr.json']);
    expect(result.code).toBe(code);
    check(result);
  });
});
