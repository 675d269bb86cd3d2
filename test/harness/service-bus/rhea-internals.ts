/**
 * rhea fields a broker needs that its typings leave out: the attach frames of both ends of a link, a sender's
 * credit, the message format of a transfer, and the section reader.
 */
import rhea from 'rhea';

export interface Terminus {
  address?: string;
  filter?: Record<string, unknown>;
}

export interface AttachFrame {
  source?: Terminus;
  target?: Terminus;
  snd_settle_mode?: number;
  rcv_settle_mode?: number;
  max_message_size?: number;
  properties?: Record<string, unknown>;
}

interface LinkInternals {
  remote: { attach?: AttachFrame };
  local: { attach: AttachFrame };
  credit: number;
  set_source(fields: Terminus): void;
  set_target(fields: Terminus): void;
}

/**
 * rhea takes credit off a sender only when it writes the transfer, after the current event; a broker that sends
 * several messages in one event must count those not written yet itself.
 */
export const nextUnwrittenDeliveryId = (sender: rhea.Sender): number =>
  (sender.session as unknown as { outgoing: { next_pending_delivery: number } }).outgoing.next_pending_delivery;

export const linkInternals = (link: rhea.Sender | rhea.Receiver): LinkInternals => link as unknown as LinkInternals;

export const remoteAttach = (link: rhea.Sender | rhea.Receiver): AttachFrame => linkInternals(link).remote.attach ?? {};

/** The transfer's message format: a batch arrives as the raw envelope, not a decoded message. */
export const messageFormat = (context: rhea.EventContext): number =>
  Number((context as { format?: number }).format ?? 0);

export const registerOutput = (connection: rhea.Connection): void =>
  (connection as unknown as { _register(): void })._register();

interface SectionReader {
  remaining(): number;
  read(): { descriptor?: { value: unknown }; value: unknown };
}

export const sectionReader = (buffer: Buffer): SectionReader =>
  new (rhea.types as unknown as { Reader: new (b: Buffer) => SectionReader }).Reader(buffer);

export const decodeMessage = (buffer: Buffer): rhea.Message => rhea.message.decode(buffer) as unknown as rhea.Message;

export const encodeMessage = (message: rhea.Message): Buffer => rhea.message.encode(message);
