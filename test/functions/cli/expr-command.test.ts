/** `hr2ad expr` with fake I/O: output, exit codes, carets under errors, options, canonical workers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsError, runCliWith } from './run-cli';

const exec = (argv: string[], files: Record<string, string | FsError> = {}, stdin = '') =>
  runCliWith(['expr', ...argv], files, stdin);

const worker = JSON.stringify({
  givenName: 'Zoë',
  sn: 'Smith',
  proxyAddresses: ['SMTP:z@x', 'smtp:zs@x'],
  department: '',
});
const canonical = readFileSync(join(__dirname, '../../../examples/worker.json'), 'utf8');
const files = {
  'worker.json': worker,
  'bad.json': '{"givenName": ',
  'array.json': '["a"]',
  'canonical.json': canonical,
  'bom.json': `\uFEFF${worker}`,
  'invalid-canonical.json': JSON.stringify({ source: 'workday', id: '1', legalName: { first: '', last: 'X' } }),
  'hostile.json': JSON.stringify({ givenName: 'Ada\nforged line\u202E', list: ['a\nb', 'c'] }),
  dir: new FsError('EISDIR'),
};

type Case = [description: string, argv: string[], code: number, stdout: string | RegExp, stderr: string | RegExp];

const CASES: Case[] = [
  [
    'prints a string value',
    ['Join(".", NormalizeDiacritics([givenName]), [sn])', '--worker', 'worker.json'],
    0,
    'Zoe.Smith\n',
    '',
  ],
  ['prints multi-values one per line', ['[proxyAddresses]', '--worker=worker.json'], 0, 'SMTP:z@x\nsmtp:zs@x\n', ''],
  [
    'prints candidates one per line',
    [
      'SelectUniqueValue(Join(".", [givenName], [sn]), Join(".", Mid([givenName], 1, 1), [sn]))',
      '--worker',
      'worker.json',
    ],
    0,
    'Zoë.Smith\nZ.Smith\n',
    '',
  ],
  ['prints numbers and booleans as Entra does', ['IsPresent([givenName])', '--worker', 'worker.json'], 0, 'True\n', ''],
  ['uses the injected clock by default', ['Now()'], 0, '8/25/2021 5:41:18 PM\n', ''],
  ['takes --now', ['Now()', '--now', '2024-02-29T12:00:00Z'], 0, '2/29/2024 12:00:00 PM\n', ''],
  [
    'reports IgnoreFlow on stderr',
    ['IgnoreFlowIfNullOrEmpty([department])', '--worker', 'worker.json'],
    0,
    '',
    /IgnoreFlow/,
  ],
  ['reports null on stderr', ['[missing]'], 0, '', /null/],
  ['notes redacted values', ['Redact([sn])', '--worker', 'worker.json'], 0, 'Smith\n', /Redact/],
  ['accepts -- before an expression that starts with a dash', ['--', '-5'], 0, '-5\n', ''],
  ['shows help', ['--help'], 0, /Usage: hr2ad expr/, ''],
  [
    'help shows the input format, an example, the schema and the exit codes',
    ['--help'],
    0,
    /schemas\/worker\.v1\.schema\.json[\s\S]*examples\/worker\.json[\s\S]*\[PreferredFirstName\][\s\S]*Exit codes:/,
    '',
  ],
  [
    'fails evaluation with exit 1 and a caret',
    ['Join(".", Mid([givenName], 0, 1))', '--worker', 'worker.json'],
    1,
    '',
    /Join\("\.", Mid\(\[givenName\], 0, 1\)\)\n {29}\^\n/,
  ],
  [
    'fails parsing with exit 1 and a caret',
    ['Join(".", [a] [b])'],
    1,
    '',
    /error\[unexpected-token\].*\n.*column 15[\s\S]*\n {16}\^{3}\n/,
  ],
  [
    'shows the right line of a multi-line expression',
    ['Join(".",\n  Foo([a]))'],
    1,
    '',
    /line 2, column 3[\s\S]*\n {2} {2}Foo\(\[a\]\)\)\n {4}\^{8}\n/,
  ],
  ['needs an expression', [], 2, '', /missing required argument 'expression'/],
  ['rejects unknown options', ['Now()', '--bogus'], 2, '', /unknown option '--bogus'/],
  ['rejects an option without its value', ['Now()', '--worker'], 2, '', /argument missing/],
  ['rejects two expressions', ['Now()', 'Guid()'], 2, '', /too many arguments/],
  ['rejects an invalid --now', ['Now()', '--now', 'yesterday'], 2, '', /--now[\s\S]*ISO-8601/],
  ['rejects a --now without a zone', ['Now()', '--now', '2024-01-01T10:00'], 2, '', /add Z or an offset/],
  ['accepts a date as --now', ['Now()', '--now', '2024-02-29'], 0, '2/29/2024 12:00:00 AM\n', ''],
  [
    'names a missing worker file, without ENOENT',
    ['Now()', '--worker', 'nope.json'],
    1,
    '',
    /^hr2ad expr: worker file "nope.json" does not exist\n$/,
  ],
  [
    'names a directory',
    ['Now()', '--worker', 'dir'],
    1,
    '',
    /^hr2ad expr: worker file "dir" is a directory, not a file\n$/,
  ],
  [
    'rejects a worker that is not JSON',
    ['Now()', '--worker', 'bad.json'],
    1,
    '',
    /worker file "bad.json" is not valid JSON/,
  ],
  ['rejects a worker that is not an object', ['Now()', '--worker', 'array.json'], 1, '', /JSON object/],
  ['accepts a byte-order mark', ['[sn]', '--worker', 'bom.json'], 0, 'Smith\n', ''],
  [
    'reads a canonical worker through the mapping attribute names',
    ['Join(".", [PreferredFirstName], [LegalLastName], [Department])', '--worker', 'canonical.json'],
    0,
    'Ada.Lovelace.Engineering\n',
    '',
  ],
  [
    'warns about an attribute the canonical worker does not have, exit code unchanged',
    ['Join(".", [givenName], [LegalLastName])', '--worker', 'canonical.json'],
    0,
    'Lovelace\n',
    /^warning: the worker has no attribute \[givenName\]; it reads as null/,
  ],
  [
    'warns about a flat worker too, but not for names that differ only in case',
    ['Join(".", [GIVENNAME], [title])', '--worker', 'worker.json'],
    0,
    'Zoë\n',
    /^warning: the worker has no attribute \[title\][^\n]*\n$/,
  ],
  [
    'validates a canonical worker, naming every field',
    ['[WorkerID]', '--worker', 'invalid-canonical.json'],
    1,
    '',
    /not a valid worker record \(workday:1\):\n {2}legalName\.first: may not be empty\n[\s\S]*hireDate/,
  ],
  [
    'shows an HR value with a newline or a bidi override escaped, one value per line',
    ['[givenName]', '--worker', 'hostile.json'],
    0,
    'Ada\\nforged line\\u202E\n',
    '',
  ],
  ['keeps a multi-value one element per line', ['[list]', '--worker', 'hostile.json'], 0, 'a\\nb\nc\n', ''],
];

describe('hr2ad expr', () => {
  it.each(CASES)('%s', async (_description, argv, code, stdout, stderr) => {
    const result = await exec(argv, files);
    expect(result.code).toBe(code);
    if (typeof stdout === 'string') expect(result.stdout).toBe(stdout);
    else expect(result.stdout).toMatch(stdout);
    if (typeof stderr === 'string') expect(result.stderr).toBe(stderr);
    else expect(result.stderr).toMatch(stderr);
  });

  it('reads the worker from stdin with "-"', async () => {
    const result = await exec(['ToUpper([givenName])', '--worker', '-'], {}, '{"givenName": "Zoë"}');
    expect(result).toEqual({ code: 0, stdout: 'ZOË\n', stderr: '' });
  });

  it('prints JSON with --json, for values, candidates, ignore-flow and errors', async () => {
    const value = await exec(['Split("a,b", ",")', '--json']);
    expect(JSON.parse(value.stdout)).toEqual({ ok: true, kind: 'multi-value', value: ['a', 'b'], redacted: false });
    const candidates = await exec(['SelectUniqueValue("a", "b")', '--json']);
    expect(JSON.parse(candidates.stdout)).toEqual({ ok: true, kind: 'candidates', value: ['a', 'b'], redacted: false });
    const ignored = await exec(['IgnoreFlowIfNullOrEmpty([x])', '--json']);
    expect(JSON.parse(ignored.stdout)).toEqual({ ok: true, kind: 'ignore-flow', value: null, redacted: false });
    const failed = await exec(['Mid("a", 0, 1)', '--json']);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toEqual({
      ok: false,
      error: {
        code: 'invalid-argument',
        message: expect.stringContaining('start'),
        position: { offset: 9, line: 1, column: 10, length: 1 },
      },
    });
  });

  it('is deterministic for a seed and varies between seeds', async () => {
    const first = await exec(['Join(" ", Guid(), RandomString(10, 2, 2, 2, 2))', '--seed', 'worker-1']);
    const again = await exec(['Join(" ", Guid(), RandomString(10, 2, 2, 2, 2))', '--seed', 'worker-1']);
    const other = await exec(['Join(" ", Guid(), RandomString(10, 2, 2, 2, 2))', '--seed', 'worker-2']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^[0-9a-f-]{36} \S{10}\n$/);
    expect(again.stdout).toBe(first.stdout);
    expect(other.stdout).not.toBe(first.stdout);
  });
});

describe('hr2ad entry point', () => {
  it.each([
    [['expr', 'ToLower("ABC")'], 0, 'abc\n'],
    [['--help'], 0, /Commands:\n\s+expr[\s\S]*Exit codes:\n {2}0 /],
    [['help'], 0, /Commands:/],
    [['help', 'preview'], 0, /--snapshot/],
    [['--version'], 0, '9.8.7\n'],
    [['-V'], 0, '9.8.7\n'],
  ] as [string[], number, string | RegExp][])('%j exits %d', async (argv, code, stdout) => {
    const result = await runCliWith(argv);
    expect(result.code).toBe(code);
    if (typeof stdout === 'string') expect(result.stdout).toBe(stdout);
    else expect(result.stdout).toMatch(stdout);
  });

  it.each([[[]], [['deploy']], [['--bogus']]] as [string[]][])('%j is a usage error (exit 2)', async (argv) => {
    const result = await runCliWith(argv);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/Usage: hr2ad|unknown/);
  });
});
