/**
 * Signatures of HR webhooks (Stripe's scheme). The sender signs each request with a secret shared with
 * hr2ad and puts the signature in one header:
 *
 *     X-Hr2ad-Signature: t=1767225600,v1=44d284fcf897b9b9a9e1df4c32c9a69c9a7ab405c6134835e1d2a10adbed277a
 *
 * (the body `{"workerIds":["1001"]}` signed with the secret `whsec-example`; a sender can check its code
 * against `printf '%s' '1767225600.{"workerIds":["1001"]}' | openssl dgst -sha256 -hmac whsec-example`)
 *
 * - `t` is the time of signing in Unix seconds;
 * - `v1` is the lower-case hex HMAC-SHA256, keyed with the shared secret (its UTF-8 bytes), of the
 *   signed payload: `t` in decimal, a `.`, then the raw request body bytes exactly as sent;
 * - during a secret rotation the sender may send one `v1` per secret (`t=…,v1=…,v1=…`); a request is
 *   authentic when any `v1` matches any configured secret. Other schemes (`v0=`) are ignored.
 *
 * A request is refused when the header is missing or malformed, when no signature matches, or when `t`
 * is further than the tolerance from now, in the past (a replay) or in the future (a wrong clock). An
 * authentic request within the tolerance can still be a replay: the caller remembers `signatureId`
 * (per source) for at least the tolerance and refuses one it has seen. The id is the SHA-256 of the signed payload,
 * not of the `v1` that matched, so a replay cannot pass as new by dropping one of two signatures made
 * during a rotation. Comparisons take constant time; no detail ever carries a secret.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_SIGNATURE_HEADER = 'x-hr2ad-signature';

export type WebhookCheck =
  | {
      readonly ok: true;
      /** Identifies the signed request (SHA-256 hex of `<t>.<body>`), for the replay memory. */
      readonly signatureId: string;
      /** The signature's `t`, in Unix seconds. */
      readonly timestamp: number;
    }
  | {
      readonly ok: false;
      readonly reason: 'missing-signature' | 'malformed-signature' | 'bad-signature' | 'stale-timestamp';
      /** What was wrong, for the log; never a secret. */
      readonly detail: string;
    };

/** Longest header accepted: a timestamp and a few signatures, never kilobytes to parse. */
const MAX_HEADER_LENGTH = 1024;
/** Most `v1` values accepted: two during a rotation, with room to spare. */
const MAX_SIGNATURES = 4;
const TIMESTAMP = /^\d{1,12}$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

interface ParsedHeader {
  readonly timestamp: number;
  /** The `v1` signatures as bytes. */
  readonly signatures: readonly Buffer[];
}

type Refusal = Extract<WebhookCheck, { ok: false }>;

function refuse(reason: Refusal['reason'], detail: string): Refusal {
  return { ok: false, reason, detail };
}

function parseHeader(header: string): ParsedHeader | Refusal {
  const malformed = (detail: string) => refuse('malformed-signature', detail);
  if (header.length > MAX_HEADER_LENGTH) return malformed(`the header is longer than ${MAX_HEADER_LENGTH} characters`);
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const equals = part.indexOf('=');
    if (equals < 0) return malformed('each part of the header must be key=value');
    const key = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined) return malformed('the header has more than one t=');
      if (!TIMESTAMP.test(value)) return malformed('t= must be a time in Unix seconds');
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return malformed('v1= must be 64 hex digits (HMAC-SHA256)');
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === undefined) return malformed('the header has no t=');
  if (signatures.length === 0) return malformed('the header has no v1=');
  if (signatures.length > MAX_SIGNATURES) return malformed(`the header has more than ${MAX_SIGNATURES} v1= signatures`);
  return { timestamp, signatures };
}

function hmac(secret: string, timestamp: number, body: Uint8Array | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The header value signing `body` at `timestampSeconds` (for senders, docs and tests). */
export function signWebhook(secret: string, body: Uint8Array | string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, body).toString('hex')}`;
}

function signedBySome(parsed: ParsedHeader, body: Uint8Array, secrets: readonly string[]): boolean {
  let matched = false;
  // Every pair is compared, so the time taken does not say which secret or which signature matched.
  for (const secret of secrets) {
    const expected = hmac(secret, parsed.timestamp, body);
    for (const signature of parsed.signatures) if (timingSafeEqual(expected, signature)) matched = true;
  }
  return matched;
}

/** Whether `header` signs `body` with one of `secrets`, at a time within `toleranceSeconds` of now. */
export function verifyWebhookSignature(args: {
  header: string | null;
  body: Uint8Array;
  secrets: readonly string[];
  nowSeconds: number;
  toleranceSeconds: number;
}): WebhookCheck {
  const { header, body, nowSeconds, toleranceSeconds } = args;
  if (header === null || header.trim() === '')
    return refuse('missing-signature', `the request has no ${WEBHOOK_SIGNATURE_HEADER} header`);
  const parsed = parseHeader(header);
  if ('ok' in parsed) return parsed;
  const secrets = args.secrets.filter((s) => s !== '');
  if (secrets.length === 0) return refuse('bad-signature', 'no webhook secret is configured');
  if (!signedBySome(parsed, body, secrets))
    return refuse('bad-signature', `no v1= signature matches the body with a configured secret`);
  const age = nowSeconds - parsed.timestamp;
  if (Math.abs(age) > toleranceSeconds) {
    const when = age > 0 ? `${age} s old` : `${-age} s in the future`;
    return refuse('stale-timestamp', `the signature's t= is ${when} (tolerance ${toleranceSeconds} s)`);
  }
  const signatureId = createHash('sha256').update(`${parsed.timestamp}.`).update(body).digest('hex');
  return { ok: true, signatureId, timestamp: parsed.timestamp };
}
