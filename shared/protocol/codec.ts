import { formatIssues, issuesFromZod, ROOT_PATH, type Issue, type Result } from '../util/result';
import {
  SUPPORTED_PROTOCOL_VERSIONS,
  directoryCommand,
  isSupportedProtocolVersion,
  type DirectoryCommand,
} from './commands';
import { commandResult, type CommandResult } from './results';

/** Why a payload is not a valid command: every problem, each with the path of the field at fault. */
export type ProtocolIssue = Issue;

/** The core's `Result`, whose failure also carries the protocol error code and a one-line message. */
export type Decoded<T> =
  | Extract<Result<T>, { ok: true }>
  | (Extract<Result<T>, { ok: false }> & {
      readonly code: 'ProtocolError' | 'UnsupportedVersion';
      readonly message: string;
    });

/** `String(value)` that never throws, even for a value whose conversion does (`{"toString":1}`). */
function show(value: unknown): string {
  try {
    return String(value);
  } catch {
    return `(${typeof value})`;
  }
}

function describe(what: string, issues: ProtocolIssue[]): string {
  return `${what}: ${formatIssues(issues, '; ')}`;
}

/**
 * Decodes a command from JSON text or an already-parsed value. Never throws: malformed or unknown input
 * comes back as a ProtocolError that names every field at fault; a version outside
 * SUPPORTED_PROTOCOL_VERSIONS as UnsupportedVersion; a protocol-2 feature in a protocol-1 command as a
 * ProtocolError naming the field ("needs protocol 2").
 */
export function decodeCommand(payload: unknown): Decoded<DirectoryCommand> {
  let value = payload;
  if (typeof payload === 'string') {
    try {
      value = JSON.parse(payload) as unknown;
    } catch (error) {
      const issues = [{ path: ROOT_PATH, message: `not JSON (${(error as Error).message})` }];
      return { ok: false, code: 'ProtocolError', message: describe('invalid command', issues), issues };
    }
  }
  if (value && typeof value === 'object' && 'protocol' in value && !isSupportedProtocolVersion(value.protocol)) {
    const issues = [
      {
        path: 'protocol',
        message: `version ${show(value.protocol)} is not supported (this agent speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
      },
    ];
    return { ok: false, code: 'UnsupportedVersion', message: describe('unsupported command', issues), issues };
  }
  const parsed = directoryCommand.safeParse(value);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error);
    const kind = value && typeof value === 'object' && 'kind' in value ? show(value.kind) : 'command';
    const id = value && typeof value === 'object' && 'commandId' in value ? ` ${show(value.commandId)}` : '';
    return { ok: false, code: 'ProtocolError', message: describe(`invalid ${kind}${id}`, issues), issues };
  }
  return { ok: true, value: parsed.data };
}

/** Decodes a result, as the control plane does with what the agent reports. */
export function decodeResult(payload: unknown): Decoded<CommandResult> {
  const parsed = commandResult.safeParse(payload);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error);
    return { ok: false, code: 'ProtocolError', message: describe('invalid result', issues), issues };
  }
  return { ok: true, value: parsed.data };
}
