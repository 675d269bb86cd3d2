/**
 * The command guard, every verdict in its order of checks:
 *
 * | message                                              | verdict                                  |
 * |------------------------------------------------------|------------------------------------------|
 * | a bare command, not JSON, a malformed envelope       | untrusted SignatureInvalid "unsigned"    |
 * | signed by an unpinned key, or tampered               | untrusted SignatureInvalid               |
 * | signed, payload not a command / unknown protocol     | untrusted ProtocolError / UnsupportedVer.|
 * | signed, workerKey is not the session id              | refuse ProtocolError (field workerKey)   |
 * | signed, already finished                             | duplicate with the kept result           |
 * | signed, sequence older than the worker's last        | refuse OutOfOrder                        |
 * | signed, same sequence as the last (a re-sent step)   | apply                                    |
 * | signed, new, in order (also when already expired)    | apply                                    |
 *
 * Property: changing any one byte of the payload or of the signature makes the message untrusted.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandGuard } from '../../../agent/relay/command-guard';
import { CommandJournal } from '../../../agent/relay/command-journal';
import { SignatureVerifier } from '../../../agent/relay/signature-verifier';
import type { DisableAccount } from '../../../shared/protocol/commands';
import type { CommandResult } from '../../../shared/protocol/results';
import { ED25519_KEY, ES256_KEY, STRANGER_KEY, pinOf, signCommandWith, signPayload } from './signature-fixtures';

const SESSION = 'hr:E1001';

function disable(overrides: Partial<DisableAccount> = {}): DisableAccount {
  return {
    kind: 'DisableAccount',
    protocol: 1,
    commandId: 'cmd-1',
    workerKey: SESSION,
    sequence: 5,
    issuedAt: '2026-03-01T00:00:00Z',
    expiresAt: '2026-03-02T00:00:00Z',
    match: [{ attribute: 'employeeID', value: 'E1001' }],
    ...overrides,
  };
}

let dir: string;
let journal: CommandJournal;
let guard: CommandGuard;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hr2ad-guard-'));
  journal = CommandJournal.open(join(dir, 'journal.db'));
  guard = new CommandGuard({ verifier: new SignatureVerifier([pinOf(ED25519_KEY), pinOf(ES256_KEY)]), journal });
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

function recordDone(commandId: string, sequence: number): CommandResult {
  const result: CommandResult = { kind: 'NoChange', commandId, workerKey: SESSION, sequence, pending: [] };
  journal.record(result, '2026-03-02T00:00:00Z');
  return result;
}

describe('CommandGuard: untrusted messages', () => {
  it.each([
    ['a bare command', disable()],
    ['a bare command as JSON text', JSON.stringify(disable())],
    ['text that is not JSON', 'hello'],
    ['null', null],
  ])('refuses %s as unsigned', (_name, body) => {
    const verdict = guard.check(body, SESSION);
    expect(verdict).toMatchObject({ kind: 'untrusted', code: 'SignatureInvalid' });
    expect(verdict.kind === 'untrusted' && verdict.reason).toMatch(/^unsigned command/);
  });

  it('names the envelope fields at fault, not their values', () => {
    const envelope = { ...signCommandWith(disable()), signature: 'not base64 SECRET-LOOKING' };
    const verdict = guard.check(envelope, SESSION);
    expect(verdict).toEqual({
      kind: 'untrusted',
      code: 'SignatureInvalid',
      reason: 'unsigned command: not a signed command envelope (signature)',
    });
  });

  it('accepts the envelope as JSON text or as bytes too', () => {
    const envelope = signCommandWith(disable());
    expect(guard.check(JSON.stringify(envelope), SESSION).kind).toBe('apply');
    expect(guard.check(Buffer.from(JSON.stringify(envelope)), SESSION).kind).toBe('apply');
  });

  it('refuses a command signed with a key that is not pinned', () => {
    const verdict = guard.check(signCommandWith(disable(), STRANGER_KEY), SESSION);
    expect(verdict).toMatchObject({ kind: 'untrusted', code: 'SignatureInvalid' });
    expect(verdict.kind === 'untrusted' && verdict.reason).toContain(`key id ${STRANGER_KEY.keyId} is not pinned`);
  });

  it('refuses a payload changed after signing without echoing it', () => {
    const signed = signCommandWith(disable());
    const verdict = guard.check({ ...signed, payload: signed.payload.replace('E1001"}', 'E1002"}') }, SESSION);
    expect(verdict).toEqual({
      kind: 'untrusted',
      code: 'SignatureInvalid',
      reason: `the signature does not verify under key ${ED25519_KEY.keyId}`,
    });
  });

  it('refuses a signed payload that is not a command (ProtocolError naming the field)', () => {
    const verdict = guard.check(signCommandWith({ ...disable(), sequence: -1 }), SESSION);
    expect(verdict).toMatchObject({ kind: 'untrusted', code: 'ProtocolError' });
    expect(verdict.kind === 'untrusted' && verdict.reason).toContain('sequence');
  });

  it('refuses a signed command in a protocol this agent does not speak', () => {
    const verdict = guard.check(signPayload(JSON.stringify({ ...disable(), protocol: 99 }), ES256_KEY), SESSION);
    expect(verdict).toMatchObject({ kind: 'untrusted', code: 'UnsupportedVersion' });
  });
});

describe('CommandGuard: trusted commands', () => {
  it('applies a new command in order, with the decoded command', () => {
    expect(guard.check(signCommandWith(disable()), SESSION)).toEqual({ kind: 'apply', command: disable() });
  });

  it('refuses a command whose worker is not the session it arrived on', () => {
    const verdict = guard.check(signCommandWith(disable()), 'hr:E9999');
    expect(verdict).toEqual({
      kind: 'refuse',
      reason: 'command cmd-1: workerKey hr:E1001 is not the session it arrived on (hr:E9999)',
      result: {
        kind: 'Failed',
        commandId: 'cmd-1',
        workerKey: SESSION,
        sequence: 5,
        code: 'ProtocolError',
        retryable: false,
        message: 'command cmd-1: workerKey hr:E1001 is not the session it arrived on (hr:E9999)',
        field: 'workerKey',
      },
    });
  });

  it('returns the kept result for a command already finished, applying nothing', () => {
    const kept = recordDone('cmd-1', 5);
    expect(guard.check(signCommandWith(disable()), SESSION)).toEqual({ kind: 'duplicate', result: kept });
  });

  it('refuses a sequence older than the last applied for the worker (OutOfOrder)', () => {
    recordDone('cmd-9', 5);
    const verdict = guard.check(signCommandWith(disable({ commandId: 'cmd-old', sequence: 3 })), SESSION);
    expect(verdict).toMatchObject({
      kind: 'refuse',
      reason: 'command cmd-old: sequence 3 is older than 5, the last applied for this worker',
      result: { kind: 'Failed', code: 'OutOfOrder', retryable: false, field: 'sequence', sequence: 3 },
    });
  });

  it('applies a step re-sent with the same sequence under a new id', () => {
    recordDone('cmd-1', 5);
    const verdict = guard.check(signCommandWith(disable({ commandId: 'cmd-1.r1' })), SESSION);
    expect(verdict).toMatchObject({ kind: 'apply', command: { commandId: 'cmd-1.r1', sequence: 5 } });
  });

  it('applies a newer sequence, and sequences of other workers are their own', () => {
    recordDone('cmd-1', 5);
    expect(guard.check(signCommandWith(disable({ commandId: 'cmd-2', sequence: 6 })), SESSION).kind).toBe('apply');
    const other = disable({ commandId: 'cmd-3', workerKey: 'hr:E2', sequence: 1 });
    expect(guard.check(signCommandWith(other), 'hr:E2').kind).toBe('apply');
  });

  // Expiry is the applier's to refuse (Expired, a result the control plane re-plans on), not the guard's.
  it('lets an expired signed command through to the applier', () => {
    const expired = disable({ issuedAt: '2000-01-01T00:00:00Z', expiresAt: '2000-01-02T00:00:00Z' });
    expect(guard.check(signCommandWith(expired), SESSION)).toEqual({ kind: 'apply', command: expired });
  });
});

describe('CommandGuard: tampering', () => {
  const signed = [signCommandWith(disable(), ED25519_KEY), signCommandWith(disable(), ES256_KEY)] as const;

  it('refuses any single-byte change of the payload', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (index, delta, es256) => {
        const envelope = signed[es256 ? 1 : 0];
        const bytes = Buffer.from(envelope.payload, 'utf8');
        const at = index % bytes.length;
        bytes[at] = (bytes[at]! + delta) % 256;
        const payload = bytes.toString('utf8');
        fc.pre(payload !== envelope.payload);
        expect(guard.check({ ...envelope, payload }, SESSION).kind).toBe('untrusted');
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any single-byte change of the signature', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (index, delta, es256) => {
        const envelope = signed[es256 ? 1 : 0];
        const bytes = Buffer.from(envelope.signature, 'base64');
        const at = index % bytes.length;
        bytes[at] = (bytes[at]! + delta) % 256;
        expect(guard.check({ ...envelope, signature: bytes.toString('base64') }, SESSION).kind).toBe('untrusted');
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any single-character change of the signature text', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(...alphabet), fc.boolean(), (index, char, es256) => {
        const envelope = signed[es256 ? 1 : 0];
        const at = index % envelope.signature.length;
        fc.pre(envelope.signature[at] !== char);
        const signature = `${envelope.signature.slice(0, at)}${char}${envelope.signature.slice(at + 1)}`;
        expect(guard.check({ ...envelope, signature }, SESSION).kind).toBe('untrusted');
      }),
      { numRuns: 300 },
    );
  });
});
