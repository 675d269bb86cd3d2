/** Runs the hr2ad command line over fake I/O: files by name (Node-style errors otherwise), a fixed clock. */
import type { CliIo } from '../../../functions/cli/cli-io';
import { runCli } from '../../../functions/cli/program';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** A file that fails with a Node error code instead of content. */
export class FsError {
  constructor(readonly code: string) {}
}

export async function runCliWith(
  argv: string[],
  files: Record<string, string | FsError> = {},
  stdin = '',
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined)
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      if (content instanceof FsError)
        throw Object.assign(new Error(`${content.code}: ${path}`), { code: content.code });
      return content;
    },
    readStdin: async () => stdin,
    stdout: (text) => {
      // A preview writes what it rendered while planning as UTF-8 bytes, whole workers at a time.
      stdout += typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
    },
    stderr: (text) => {
      stderr += text;
    },
    now: new Date('2021-08-25T17:41:18Z'),
  };
  const code = await runCli(argv, io, { version: '9.8.7' });
  return { code, stdout, stderr };
}
