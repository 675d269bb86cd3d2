/**
 * Reading a whole file as text gives what `fs.promises.readFile(path, 'utf8')` gives: the same text for
 * files of any size (empty, with a byte-order mark, several megabytes of every script, bytes that are not
 * UTF-8), for a pipe whose size is not known in advance, and the same error codes for paths that cannot
 * be read.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTextFile } from '../../../functions/cli/read-text-file';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hr2ad-read-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPTS = 'Zoë Ångström 李小龙 Дмитрий محمد עברית नमस्ते 😀 Zo\u0301e\n';

it.each([
  ['empty', Buffer.alloc(0)],
  ['with a byte-order mark', Buffer.from(`\uFEFF[{"id":"1"}]`)],
  ['of several megabytes in every script', Buffer.from(SCRIPTS.repeat(80_000))],
  ['with bytes that are not UTF-8', Buffer.from([0x5b, 0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x5d])],
])('a file %s reads as readFile reads it', async (name, bytes: Buffer) => {
  const path = join(dir, `${name.replace(/\W+/g, '-')}.json`);
  writeFileSync(path, bytes);
  const text = await readTextFile(path);
  expect(text).toBe(await readFile(path, 'utf8'));
});

it('a pipe, whose size is not known, is read to its end', async () => {
  const fifo = join(dir, 'snapshot.fifo');
  execFileSync('mkfifo', [fifo]);
  const content = SCRIPTS.repeat(50_000);
  writeFileSync(join(dir, 'source.txt'), content);
  const writer = spawn('sh', ['-c', `cat "${join(dir, 'source.txt')}" > "${fifo}"`]);
  const [text] = await Promise.all([readTextFile(fifo), new Promise((resolve) => writer.on('exit', resolve))]);
  expect(text).toBe(content);
});

it.each([
  ['a missing file', () => join(dir, 'missing.json')],
  ['a directory', () => dir],
  ['a path through a file', () => join(dir, 'plain.txt', 'inside.json')],
])('%s fails with the error code readFile gives', async (_name, pathOf) => {
  writeFileSync(join(dir, 'plain.txt'), 'x');
  const path = pathOf();
  const expected = await readFile(path, 'utf8').then(
    () => 'no error',
    (error: NodeJS.ErrnoException) => error.code,
  );
  expect(expected).not.toBe('no error');
  await expect(readTextFile(path)).rejects.toMatchObject({ code: expected });
});
