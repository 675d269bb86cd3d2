/**
 * A tiny webhook sender, as an HR system would be: posts a JSON body signed with the shared secret
 * (`X-Hr2ad-Signature: t=…,v1=…`). An object body is sent as JSON; a string or bytes go as they are,
 * so a test can sign exactly the bytes it wants to tamper with.
 */
import { WEBHOOK_SIGNATURE_HEADER, signWebhook } from '../../../functions/ingest/webhook-signature';

export interface PostWebhookOptions {
  /** The signature's time in Unix seconds (default now): an old one makes a stale request. */
  readonly timestamp?: number;
  /** Extra headers (an Authorization header, or a forged signature over the signed one). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Posts `body` to `url`, signed with `secret`; resolves to the response whatever its status. */
export async function postWebhook(
  url: string,
  body: unknown,
  secret: string,
  options: PostWebhookOptions = {},
): Promise<Response> {
  const bytes =
    body instanceof Uint8Array ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secret, bytes, timestamp),
      ...options.headers,
    },
    body: bytes,
  });
}
