import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../agent/logging/silent-logger';
import { backoffMs, CommandHandler, type ReceivedCommand } from '../../../agent/relay/command-handler';
import { CommandGuard } from '../../../agent/relay/command-guard';
import { CommandJournal } from '../../../agent/relay/command-journal';
import { RelayCounters } from '../../../agent/relay/relay-counters';
import type { ResultPublisher } from '../../../agent/relay/result-publisher';
import { SignatureVerifier } from '../../../agent/relay/signature-verifier';
import { signCommand } from '../../../functions/adapters/signing/sign-command';
import type { DirectoryCommand } from '../../../shared/protocol/commands';
import type { RelayMessage } from '../../../shared/protocol/relay-messages';
import type { CommandResult } from '../../../shared/protocol/results';
import { upsertFor } from '../../harness/commands';
import { InMemorySigner } from '../../harness/relay/command-driver';

const signer = new InMemorySigner();
let dir: string;
let journal: CommandJournal;
let published: RelayMessage[];
let outcomes: CommandResult[];
let counters: RelayCounters;

function handler(maxDeliveries = 3) {
  const publisher = { publish: async (message: RelayMessage) => void published.push(message) } as ResultPublisher;
  const applier = {
    apply: async (command: DirectoryCommand): Promise<CommandResult> =>
      outcomes.shift() ?? {
        kind: 'NoChange',
        commandId: command.commandId,
        workerKey: command.workerKey,
        sequence: command.sequence,
        pending: [],
      },
  };
  const guard = new CommandGuard({ verifier: new SignatureVerifier([signer.pin]), journal });
  return new CommandHandler({
    agentId: 'agent-1',
    guard,
    applier,
    journal,
    publisher,
    counters,
    logger: silentLogger,
    now: () => new Date(),
    maxDeliveries,
    retryBackoff: { firstMs: 100, maxMs: 250 },
  });
}

async function received(command: DirectoryCommand, deliveryCount = 0): Promise<ReceivedCommand> {
  return {
    body: await signCommand(command, signer),
    sessionId: command.workerKey,
    messageId: command.commandId,
    deliveryCount,
  };
}

const person = { id: 'E1', given: 'Ada', family: 'Lovelace', ou: 'OU=Staff,DC=corp,DC=example,DC=test' };
const failed = (command: DirectoryCommand, retryable: boolean): CommandResult => ({
  kind: 'Failed',
  commandId: command.commandId,
  workerKey: command.workerKey,
  sequence: command.sequence,
  code: retryable ? 'DirectoryUnavailable' : 'InvalidValue',
  retryable,
  message: 'the directory is down',
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handler-'));
  journal = CommandJournal.open(join(dir, 'journal.db'));
  published = [];
  outcomes = [];
  counters = new RelayCounters();
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CommandHandler', () => {
  it('journals the result, publishes it and completes the message', async () => {
    const command = upsertFor(person);
    expect(await handler().handle(await received(command))).toEqual({ kind: 'complete' });
    expect(journal.completed(command.commandId)?.kind).toBe('NoChange');
    expect(published).toEqual([expect.objectContaining({ type: 'CommandResult', agentId: 'agent-1' })]);
    expect(counters.commandsApplied).toBe(1);
  });

  it('publishes the kept result of a command delivered again, and applies nothing', async () => {
    const command = upsertFor(person);
    const h = handler();
    await h.handle(await received(command));
    outcomes.push(failed(command, false)); // would show if the command were applied a second time
    expect(await h.handle(await received(command, 1))).toEqual({ kind: 'complete' });
    expect(published.map((m) => m.type === 'CommandResult' && m.result.kind)).toEqual(['NoChange', 'NoChange']);
    expect(outcomes).toHaveLength(1);
  });

  it('abandons a retryable failure with a doubling backoff, unpublished and unjournaled', async () => {
    const command = upsertFor(person);
    outcomes.push(failed(command, true), failed(command, true));
    const h = handler(5);
    expect(await h.handle(await received(command, 0))).toEqual({ kind: 'abandon', afterMs: 100 });
    expect(await h.handle(await received(command, 1))).toEqual({ kind: 'abandon', afterMs: 200 });
    expect(published).toEqual([]);
    expect(journal.completed(command.commandId)).toBeUndefined();
    expect(counters.errors).toBe(2);
  });

  it('dead-letters on the last delivery and reports the command failed for good', async () => {
    const command = upsertFor(person);
    outcomes.push(failed(command, true));
    const settlement = await handler(3).handle(await received(command, 2));
    expect(settlement).toMatchObject({ kind: 'deadLetter', reason: 'DeliveryExhausted' });
    const [message] = published;
    expect(message).toMatchObject({ type: 'CommandResult', result: { code: 'DeliveryExhausted', retryable: false } });
    expect(journal.completed(command.commandId)).toMatchObject({ code: 'DeliveryExhausted' });
    expect(counters.deadLettered).toBe(1);
  });

  it('reports an unsigned message as a refusal, never as a result, and dead-letters it', async () => {
    const command = upsertFor(person);
    const settlement = await handler().handle({
      body: command,
      sessionId: command.workerKey,
      messageId: 'm1',
      deliveryCount: 0,
    });
    expect(settlement).toMatchObject({ kind: 'deadLetter', reason: 'SignatureInvalid' });
    expect(published).toEqual([
      expect.objectContaining({ type: 'CommandRefused', code: 'SignatureInvalid', messageId: 'm1' }),
    ]);
    expect(journal.stats().refusals).toBe(1);
  });

  it('refuses a command older than the last applied for its worker, with a result the control plane sees', async () => {
    const newer = upsertFor(person);
    const older = { ...upsertFor(person), sequence: newer.sequence - 1 };
    const h = handler();
    await h.handle(await received(newer));
    expect(await h.handle(await received(older))).toEqual({ kind: 'complete' });
    expect(published[1]).toMatchObject({ type: 'CommandResult', result: { kind: 'Failed', code: 'OutOfOrder' } });
  });
});

describe('backoffMs', () => {
  it('doubles from the first delay up to the cap', () => {
    const backoff = { firstMs: 1000, maxMs: 5000 };
    expect([1, 2, 3, 4, 5].map((delivery) => backoffMs(backoff, delivery))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
