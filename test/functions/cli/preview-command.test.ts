/**
 * `hr2ad preview` through the command line, with injected I/O. The table lists each invocation, the exit
 * code it must give (every documented code appears) and what it must print.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDefaultMappingConfig } from '../../../shared/mapping/config';
import { encodeStates } from '../../../shared/planner/state-codec';
import { FsError, runCliWith, type Captured } from './run-cli';

const root = join(__dirname, '../../..');
const snapshot = readFileSync(join(root, 'examples/hr-snapshot.json'), 'utf8');
const records = JSON.parse(snapshot) as Array<Record<string, unknown>>;
const valid = records.filter((r) => r.id !== '1005');
const statesText = readFileSync(join(root, 'examples/states.json'), 'utf8');
const states = JSON.parse(statesText) as { states: Array<{ desired: Record<string, unknown> }> };
const config = createDefaultMappingConfig({ domainDn: 'DC=corp,DC=example,DC=test', upnSuffix: 'corp.example.test' });

const files: Record<string, string | FsError> = {
  'hr.json': snapshot,
  'valid.json': JSON.stringify(valid),
  'bom.json': `\uFEFF${JSON.stringify(valid)}`,
  // Everyone leaves at once: more disables than a threshold of 1 allows.
  'leavers.json': JSON.stringify(
    valid.map((r) => ({ ...r, employmentStatus: 'terminated', terminationDate: '2026-11-20' })),
  ),
  'strict-config.json': JSON.stringify({ ...config, thresholds: { disableOrDelete: { maxCount: 1 } } }),
  'broken.json': '{ not json',
  'object.json': '{"id": 1}',
  'bad-config.json': JSON.stringify({ version: 1, attributeMappings: [], surprise: true }),
  'states.json': statesText,
  'bare-states.json': JSON.stringify(states.states),
  'future-states.json': JSON.stringify({ ...states, version: 2 }),
  'bad-states.json': JSON.stringify({
    ...states,
    states: states.states.map((s, i) => (i === 1 ? { ...s, desired: { ...s.desired, phase: 'sleeping' } } : s)),
  }),
  'dup-states.json': JSON.stringify(encodeStates([states.states[0] as never, states.states[0] as never])),
  'dir/': new FsError('EISDIR'),
  'secret.json': new FsError('EACCES'),
};

type Row = [invocation: string, argv: string[], code: number, check: (r: Captured) => void];

const TABLE: Row[] = [
  [
    'text report of the example snapshot: done, one record quarantined (3)',
    ['--snapshot', 'hr.json', '--now', '2026-11-21T12:00:00Z'],
    3,
    ({ stdout, stderr }) => {
      expect(stdout).toMatch(/^hr2ad preview at 2026-11-21T12:00:00.000Z/);
      expect(stdout).toContain('workers: joiner 3, pre-hire 1, invalid 1');
      expect(stdout).toContain('2030-02-02T13:00:00.000Z  EnableAccount');
      expect(stderr).toBe('hr2ad preview: 1 record(s) quarantined (exit 3)\n');
    },
  ],
  [
    'JSON report: one valid document, one worker per line',
    ['--snapshot', 'hr.json', '--json', '--changes-only', '--now', '2026-11-21T12:00:00Z'],
    3,
    ({ stdout }) => {
      const report = JSON.parse(stdout) as {
        kind: string;
        quarantined: Array<{ workerKey: string; issues: Array<{ path: string }> }>;
        workers: unknown[];
      };
      expect(report.kind).toBe('hr2ad-preview');
      expect(report.workers).toHaveLength(5);
      expect(report.quarantined[0]!.issues.map((i) => i.path)).toEqual(
        expect.arrayContaining(['legalName.first', 'hireDate']),
      );
      expect(stdout.split('\n').filter((l) => /^\{"workerKey":[^,]*,"classification"/.test(l))).toHaveLength(5);
    },
  ],
  ['a clean snapshot exits 0', ['--snapshot', 'valid.json'], 0, ({ stderr }) => expect(stderr).toBe('')],
  [
    'a byte-order mark is fine',
    ['--snapshot', 'bom.json', '--now', '2026-11-21T12:00:00Z'],
    0,
    ({ stdout }) => expect(stdout).toContain('joiner 3'),
  ],
  [
    'snapshot from stdin',
    ['--snapshot', '-', '--now', '2026-11-21T12:00:00Z'],
    3,
    ({ stdout }) => expect(stdout).toContain('workers: joiner 3'),
  ],
  [
    'destructive plans over the threshold are held (4)',
    [
      '--snapshot',
      'leavers.json',
      '--state',
      'states.json',
      '--config',
      'strict-config.json',
      '--now',
      '2026-11-21T12:00:00Z',
    ],
    4,
    ({ stdout, stderr }) => {
      expect(stdout).toMatch(/^HOLD: /m);
      expect(stderr).toMatch(/destructive plan\(s\) held for approval \(exit 4\)/);
    },
  ],
  [
    'a valid state file is planned against',
    ['--snapshot', 'valid.json', '--state', 'states.json', '--now', '2026-11-21T12:00:00Z', '--changes-only'],
    0,
    ({ stdout }) => expect(stdout).toContain('workers: no-op 4'),
  ],
  ['missing --snapshot (2)', [], 2, ({ stderr }) => expect(stderr).toContain("required option '--snapshot <file>'")],
  [
    'unknown option (2)',
    ['--snapshot', 'hr.json', '--force'],
    2,
    ({ stderr }) => expect(stderr).toContain("unknown option '--force'"),
  ],
  [
    'bad --now (2)',
    ['--snapshot', 'hr.json', '--now', 'yesterday'],
    2,
    ({ stderr }) => expect(stderr).toContain('ISO-8601'),
  ],
  [
    'a missing snapshot is named, without ENOENT (1)',
    ['--snapshot', 'nope.json'],
    1,
    ({ stderr }) => expect(stderr).toBe('hr2ad preview: snapshot file "nope.json" does not exist\n'),
  ],
  [
    'a directory is named, without EISDIR (1)',
    ['--snapshot', 'dir/'],
    1,
    ({ stderr }) => expect(stderr).toBe('hr2ad preview: snapshot file "dir/" is a directory, not a file\n'),
  ],
  [
    'an unreadable configuration is named (1)',
    ['--snapshot', 'hr.json', '--config', 'secret.json'],
    1,
    ({ stderr }) =>
      expect(stderr).toBe(
        'hr2ad preview: mapping configuration file "secret.json" cannot be read: permission denied\n',
      ),
  ],
  [
    'snapshot not JSON (1)',
    ['--snapshot', 'broken.json'],
    1,
    ({ stderr }) => expect(stderr).toMatch(/snapshot file "broken.json" is not valid JSON/),
  ],
  [
    'snapshot not an array (1)',
    ['--snapshot', 'object.json'],
    1,
    ({ stderr }) => expect(stderr).toContain('must be a JSON array'),
  ],
  [
    'invalid configuration names the key (1)',
    ['--snapshot', 'hr.json', '--config', 'bad-config.json'],
    1,
    ({ stderr }) => expect(stderr).toMatch(/mapping configuration file "bad-config.json" is invalid:\n[\s\S]*surprise/),
  ],
  [
    'an invalid state names the field by path (1)',
    ['--snapshot', 'hr.json', '--state', 'bad-states.json'],
    1,
    ({ stderr }) => expect(stderr).toMatch(/state file "bad-states.json" is invalid:\n {2}states\.1\.desired\.phase: /),
  ],
  [
    'a state of an unknown version is refused as such (1)',
    ['--snapshot', 'hr.json', '--state', 'future-states.json'],
    1,
    ({ stderr }) => expect(stderr).toMatch(/version: version 2 is not supported: this hr2ad reads version 1/),
  ],
  [
    'a bare list of states says what a state document is (1)',
    ['--snapshot', 'hr.json', '--state', 'bare-states.json'],
    1,
    ({ stderr }) =>
      expect(stderr).toMatch(/\(root\): a bare list is not a state document; expected \{"kind": "hr2ad-state"/),
  ],
  [
    'a worker stored twice is refused (1)',
    ['--snapshot', 'hr.json', '--state', 'dup-states.json'],
    1,
    ({ stderr }) => expect(stderr).toMatch(/states\.1\.workerKey: workday:1001 is already at states\.0/),
  ],
  [
    'help shows the input formats, examples, schemas and exit codes',
    ['--help'],
    0,
    ({ stdout }) => {
      for (const expected of [
        'schemas/worker.v1.schema.json',
        'schemas/mapping-config.v1.schema.json',
        'schemas/last-known-state.v1.schema.json',
        'examples/hr-snapshot.json',
        'examples/states.json',
        'Exit codes:',
        '  4   preview/sync done, but destructive plans are held for approval',
      ])
        expect(stdout).toContain(expected);
    },
  ],
];

describe('hr2ad preview', () => {
  it.each(TABLE)('%s', async (_name, argv, code, check) => {
    const result = await runCliWith(['preview', ...argv], files, snapshot);
    expect(result.code).toBe(code);
    check(result);
  });
});
