/**
 * Reading a command's input files: a message that names the file and says what is wrong with it, in
 * words (never a raw ENOENT or EISDIR), a UTF-8 byte-order mark accepted, and JSON errors naming the file.
 */
import { displayText } from '../../shared/util/display-text';
import type { CliIo } from './cli-io';

/** What was read, or a message naming the file and what is wrong with it. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** `-` means standard input. */
export const STDIN = '-';

/** How a path is named in messages. */
export function nameOf(what: string, path: string): string {
  return path === STDIN ? `${what} (from standard input)` : `${what} file "${displayText(path)}"`;
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'ENOTDIR':
      return 'does not exist (a part of its path is not a directory)';
    case 'ELOOP':
      return 'cannot be read: too many symbolic links';
    case 'ERR_STRING_TOO_LONG':
      return 'is too large to read as text';
    default:
      return typeof code === 'string' ? `cannot be read (${code})` : 'cannot be read';
  }
}

/** The file's text without a leading byte-order mark, or a message saying why it cannot be had. */
export async function readInputText(io: CliIo, path: string, what: string): Promise<Read<string>> {
  let text: string;
  try {
    text = path === STDIN ? await io.readStdin() : await io.readFile(path);
  } catch (error) {
    const why = error instanceof RangeError ? 'is too large to read as text' : reason(error);
    return { ok: false, message: `${nameOf(what, path)} ${why}` };
  }
  return { ok: true, value: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** The file parsed as JSON, or a message naming the file and the JSON error. */
export async function readInputJson(io: CliIo, path: string, what: string): Promise<Read<unknown>> {
  const text = await readInputText(io, path, what);
  return text.ok ? parseInputJson(text.value, path, what) : text;
}

/** Text read from `path` parsed as JSON, or a message naming the file and the JSON error. */
export function parseInputJson(text: string, path: string, what: string): Read<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `${nameOf(what, path)} is not valid JSON: ${displayText((error as Error).message)}` };
  }
}
