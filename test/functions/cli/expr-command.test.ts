/** `hr2ad expr` with fake I/O: output, exit codes, carets under errors, options. */
import { runExprCommand, type ExprCommandIo } from '../../../functions/cli/expr-command';
import { main } from '../../../functions/cli/hr2ad';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function exec(argv: string[], files: Record<string, string> = {}, stdin = ''): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: ExprCommandIo = {
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return content;
    },
    readStdin: async () => stdin,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    now: new Date('2021-08-25T17:41:18Z'),
  };
  const code = await runExprCommand(argv, io);
  return { code, stdout, stderr };
}

const worker = JSON.stringify({
  givenName: 'Zoë',
  sn: 'Smith',
  proxyAddresses: ['SMTP:z@x', 'smtp:zs@x'],
  department: '',
});
const files = { 'worker.json': worker, 'bad.json': '{"givenName": ', 'array.json': '["a"]' };

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
  ['needs an expression', [], 2, '', /Missing the expression/],
  ['rejects unknown options', ['Now()', '--bogus'], 2, '', /Unknown option --bogus/],
  ['rejects an option without its value', ['Now()', '--worker'], 2, '', /needs a value/],
  ['rejects repeated options', ['Now()', '--seed', 'a', '--seed', 'b'], 2, '', /more than once/],
  ['rejects two expressions', ['Now()', 'Guid()'], 2, '', /one expression/],
  ['rejects an invalid --now', ['Now()', '--now', 'yesterday'], 2, '', /--now/],
  ['rejects a missing worker file', ['Now()', '--worker', 'nope.json'], 2, '', /Cannot read worker file nope.json/],
  ['rejects a worker that is not JSON', ['Now()', '--worker', 'bad.json'], 2, '', /not valid JSON/],
  ['rejects a worker that is not an object', ['Now()', '--worker', 'array.json'], 2, '', /JSON object/],
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
  const io = (): ExprCommandIo & { out: string[]; err: string[] } => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      readFile: async () => '{}',
      readStdin: async () => '{}',
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      now: new Date(0),
    };
  };

  it.each([
    [['expr', 'ToLower("ABC")'], 0, 'abc\n'],
    [['--help'], 0, /Commands:\n\s+expr/],
    [['help'], 0, /Commands:/],
  ] as [string[], number, string | RegExp][])('%j exits %d', async (argv, code, stdout) => {
    const fake = io();
    expect(await main(argv, fake)).toBe(code);
    if (typeof stdout === 'string') expect(fake.out.join('')).toBe(stdout);
    else expect(fake.out.join('')).toMatch(stdout);
  });

  it.each([[[]], [['deploy']]] as [string[]][])('%j is a usage error', async (argv) => {
    const fake = io();
    expect(await main(argv, fake)).toBe(2);
    expect(fake.err.join('')).toMatch(/Usage: hr2ad <command>/);
  });
});
