/**
 * The doctor's Service Bus checks, with the client the relay itself uses (same transport, proxy, CA and
 * credential). Nothing is left behind and no worker's commands are disturbed:
 * - listen: a session of the commands queue with a random id no worker has is accepted and peeked (empty),
 *   so no real session is locked even for a moment;
 * - send: a message is scheduled on the results queue 20 days ahead and cancelled at once;
 * - clock: that scheduled message, peeked, carries the broker's enqueued time (needs listen on the results
 *   queue). A broker that stamps a scheduled message with its scheduled time instead tells nothing of its
 *   clock: the `Date` header of the namespace's HTTPS endpoint is read instead (SKIPped, not guessed, when
 *   that cannot be reached either).
 */
import { randomBytes } from 'node:crypto';
import type { ServiceBusClient, ServiceBusSender } from '@azure/service-bus';
import type { RelaySettings } from '../config/agent-config';
import { clockSkewVerdict, fail, oneLine, pass, skip, warn, type CheckResult } from './check';
import { httpsServerTime, type HttpsClockTarget } from './https-clock';

/** Far enough that the probe is cancelled long before it could be delivered; below 2^31 ms (timer limits). */
const PROBE_AHEAD_MS = 20 * 86_400_000;

/** Service Bus sequence numbers (64-bit, as the SDK's Long). */
type SequenceNumber = Awaited<ReturnType<ServiceBusSender['scheduleMessages']>>[number];

/** What to do about a Service Bus error, by its code (ServiceBusError) or Node's (ECONNREFUSED…). */
function remedyFor(error: unknown, settings: RelaySettings['serviceBus'], right: string): string {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'UnauthorizedAccess')
    return `grant ${right} on the queue to this agent's identity (a SAS policy with ${right}, or the Azure Service Bus Data ${right === 'Listen' ? 'Receiver' : 'Sender'} role)`;
  if (code === 'MessagingEntityNotFound') return `create the queue, or set the queue name in relay.serviceBus`;
  const port = settings.transport === 'websockets' ? 443 : 5671;
  return `check the namespace and that outbound TCP ${port} is open${settings.transport === 'amqp' ? ' (or use --transport websockets on 443)' : ''}${settings.proxy ? ' through the proxy' : ''}`;
}

const LISTEN = 'Service Bus listen (commands queue)';

export async function checkListen(
  client: ServiceBusClient,
  settings: RelaySettings['serviceBus'],
): Promise<CheckResult> {
  const sessionId = `hr2ad-doctor-${randomBytes(6).toString('hex')}`;
  try {
    const receiver = await client.acceptSession(settings.commandsQueue, sessionId, { receiveMode: 'peekLock' });
    try {
      await receiver.peekMessages(1);
    } finally {
      await receiver.close();
    }
    return pass(LISTEN, `peeked ${settings.commandsQueue} (an unused session, nothing received)`);
  } catch (error) {
    return fail(LISTEN, `${settings.commandsQueue}: ${oneLine(error)}`, remedyFor(error, settings, 'Listen'));
  }
}

const SEND = 'Service Bus send (results queue)';
const SB_CLOCK = 'clock against Service Bus';

/** Schedules a probe 20 days ahead and cancels it; peeks it first to read the broker's clock. */
export async function checkSendAndClock(
  client: ServiceBusClient,
  settings: RelaySettings['serviceBus'],
  now: () => Date,
  httpsEndpoint?: HttpsClockTarget,
): Promise<CheckResult[]> {
  const sender = client.createSender(settings.resultsQueue);
  try {
    const before = now().getTime();
    const scheduledAt = new Date(before + PROBE_AHEAD_MS);
    const [sequence] = await sender.scheduleMessages(
      { body: 'hr2ad doctor probe', subject: 'hr2ad-doctor' },
      scheduledAt,
    );
    const after = now().getTime();
    let clock: CheckResult;
    try {
      clock = await brokerClock(client, settings.resultsQueue, sequence, {
        sentAtMs: (before + after) / 2,
        scheduledAt,
      });
      if (clock.verdict === 'SKIP' && httpsEndpoint) clock = await httpsClock(httpsEndpoint, now, clock);
    } finally {
      if (sequence !== undefined) await sender.cancelScheduledMessages(sequence);
    }
    return [pass(SEND, `scheduled and cancelled a probe on ${settings.resultsQueue}`), clock];
  } catch (error) {
    return [
      fail(SEND, `${settings.resultsQueue}: ${oneLine(error)}`, remedyFor(error, settings, 'Send')),
      warn(SB_CLOCK, 'not measured (the send check failed)', 'fix the send check first'),
    ];
  } finally {
    await sender.close().catch(() => undefined);
  }
}

async function brokerClock(
  client: ServiceBusClient,
  queue: string,
  sequence: SequenceNumber | undefined,
  probe: { readonly sentAtMs: number; readonly scheduledAt: Date },
): Promise<CheckResult> {
  const receiver = client.createReceiver(queue);
  try {
    const [peeked] = sequence ? await receiver.peekMessages(1, { fromSequenceNumber: sequence }) : [];
    const enqueued = peeked?.enqueuedTimeUtc;
    if (!enqueued)
      return warn(SB_CLOCK, 'the broker did not give the probe its enqueued time', 'compare the clocks by hand');
    if (enqueued.getTime() === probe.scheduledAt.getTime())
      return skip(SB_CLOCK, 'not measured: the broker stamps a scheduled message with its scheduled time');
    return clockSkewVerdict(
      SB_CLOCK,
      probe.sentAtMs - enqueued.getTime(),
      'Service Bus',
      'synchronise this machine with NTP',
    );
  } catch (error) {
    return warn(
      SB_CLOCK,
      `not measured: ${oneLine(error)}`,
      'grant Listen on the results queue to measure it, or compare the clocks by hand',
    );
  } finally {
    await receiver.close().catch(() => undefined);
  }
}

/** The skew against the namespace's HTTPS `Date` header; `fallback` (the SKIP) when there is no answer. */
async function httpsClock(target: HttpsClockTarget, now: () => Date, fallback: CheckResult): Promise<CheckResult> {
  const time = await httpsServerTime(target, now);
  if ('reason' in time) return { ...fallback, detail: `${fallback.detail}; HTTPS Date: ${time.reason}` };
  return clockSkewVerdict(
    SB_CLOCK,
    time.localMs - time.serverMs,
    `Service Bus (HTTPS Date of ${target.host})`,
    'synchronise this machine with NTP',
  );
}
