/**
 * A server's clock from the `Date` header of an HTTPS answer (one-second resolution, plenty for a skew
 * threshold of a minute). Service Bus namespaces answer HTTPS on 443, the port the WebSockets transport
 * uses, so this reaches the same front end the agent talks to.
 */
import { request } from 'node:https';

export interface HttpsClockTarget {
  readonly host: string;
  readonly port: number;
  /** Extra CA to trust (a test broker, a TLS-inspecting proxy). */
  readonly ca?: string;
  readonly timeoutMs?: number;
}

/** The server's time, and the local instant halfway through the request, or the reason there is none. */
export function httpsServerTime(
  target: HttpsClockTarget,
  now: () => Date,
): Promise<{ serverMs: number; localMs: number } | { reason: string }> {
  return new Promise((resolve) => {
    const sentAt = now().getTime();
    const req = request(
      { host: target.host, port: target.port, method: 'HEAD', path: '/', ...(target.ca ? { ca: target.ca } : {}) },
      (res) => {
        res.resume();
        const date = Date.parse(res.headers.date ?? '');
        const localMs = (sentAt + now().getTime()) / 2;
        resolve(Number.isNaN(date) ? { reason: 'the answer had no Date header' } : { serverMs: date, localMs });
      },
    );
    req.setTimeout(target.timeoutMs ?? 5_000, () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ reason: `https://${target.host}:${target.port}: ${error.message}` }));
    req.end();
  });
}
