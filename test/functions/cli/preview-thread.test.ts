/**
 * `hr2ad preview` with real planning threads (worker_threads, the thread's module run through tsx here as
 * the compiled one runs in the product): the report is the one a single thread writes, and a thread
 * that fails fails the preview with its error instead of leaving it waiting.
 */
import type { CliIo } from '../../../functions/cli/cli-io';
import { EXIT } from '../../../functions/cli/exit-codes';
import { runPreview, type PreviewOptions } from '../../../functions/cli/preview-command';
import type { PreviewThreadData } from '../../../functions/cli/parallel-preview';
import { ThreadPreviewShard } from '../../../functions/cli/preview-thread';
import { CONFIG_DOCUMENT, firstPreview } from './fixtures/preview-scenarios';
import { runCliWith } from './run-cli';

const files: Record<string, string> = {
  'snapshot.json': JSON.stringify(firstPreview().records),
  'config.json': JSON.stringify(CONFIG_DOCUMENT),
};

function cliIo(startThreads: CliIo['startPreviewThreads']): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    readFile: async (path) => files[path]!,
    // From the size, threads start before the snapshot is read; from standard input, after.
    fileSize: async (path) => files[path]?.length ?? null,
    readStdin: async () => files['snapshot.json']!,
    stdout: (text) => void (out += typeof text === 'string' ? text : Buffer.from(text).toString('utf8')),
    stderr: (text) => void (err += text),
    now: new Date('2025-03-03T09:00:00Z'),
    cpus: 4,
    startPreviewThreads: startThreads,
  };
  return { io, out: () => out, err: () => err };
}

const realThreads = (threads: readonly PreviewThreadData[]) => threads.map((data) => new ThreadPreviewShard(data));

const options = (json: boolean, threads: number): PreviewOptions => ({
  snapshot: 'snapshot.json',
  config: 'config.json',
  domain: 'DC=corp,DC=example,DC=test',
  json,
  threads,
  minCharsPerThread: 1,
});

describe('hr2ad preview with planning threads', () => {
  it.each([false, true])(
    'JSON %s: three threads write the report one thread writes',
    async (json) => {
      const one = cliIo(undefined);
      const three = cliIo(realThreads);
      let started = 0;
      three.io = {
        ...three.io,
        startPreviewThreads: (threads) => ((started = threads.length), realThreads(threads)),
      };
      const codes = [await runPreview(options(json, 1), one.io), await runPreview(options(json, 3), three.io)];
      expect(started).toBe(2);
      expect(codes).toEqual([EXIT.quarantined, EXIT.quarantined]);
      expect(three.out()).toBe(one.out());
      expect(three.err()).toBe(one.err());
      expect(one.out()).toContain('manager workday:2001 is quarantined');
    },
    60_000,
  );

  it('a snapshot from standard input is shared out too (the threads start once it is read)', async () => {
    const one = cliIo(undefined);
    const three = cliIo(realThreads);
    const fromStdin = { ...options(true, 3), snapshot: '-' };
    expect(await runPreview(fromStdin, three.io)).toBe(await runPreview({ ...fromStdin, threads: 1 }, one.io));
    expect(three.out()).toBe(one.out());
  }, 60_000);

  it('a thread that fails fails the preview with its error', async () => {
    const broken = cliIo((threads) =>
      realThreads(threads.map((t) => ({ ...t, fingerprint: 'not-this-configuration' }))),
    );
    await expect(runPreview(options(false, 2), broken.io)).rejects.toThrow(/another fingerprint/);
  }, 60_000);

  it("a share a thread cannot read is the snapshot's JSON error, as one thread reports it", async () => {
    const text = files['snapshot.json']!;
    // The last record is broken inside: the shares split fine, and the thread's share does not parse.
    files['broken.json'] = `${text.slice(0, -1)},{"source": "workday", "id": tru}]`;
    const run = async (threads: number) => {
      const io = cliIo(realThreads);
      const code = await runPreview({ ...options(false, threads), snapshot: 'broken.json' }, io.io);
      return { code, err: io.err(), out: io.out() };
    };
    const [one, three] = [await run(1), await run(3)];
    expect(three).toEqual(one);
    expect(one.code).toBe(EXIT.invalidInput);
    expect(one.err).toMatch(/^hr2ad preview: snapshot file "broken.json" is not valid JSON: /);
  }, 60_000);

  it.each(['0', '65', '1.5', 'two'])('--threads %s is a usage error naming the range', async (value) => {
    const { code, stderr } = await runCliWith(['preview', '--snapshot', 'snapshot.json', '--threads', value], files);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('expected a whole number from 1 to 64');
  });
});
