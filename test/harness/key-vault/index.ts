/**
 * A Key Vault stand-in over HTTPS that the real `@azure/keyvault-secrets` and `@azure/keyvault-keys`
 * clients talk to. It plays the service's challenge: a request without a bearer token gets 401 with the
 * `WWW-Authenticate` challenge (the SDK sends its first request with the body stripped), any token is
 * then accepted and recorded. A throttling knob answers 429 with `Retry-After` past N requests in a
 * window, as the service does past its limits (requests answered 429 do not count, as in the service).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeSelfSignedCertificate } from '../service-bus/websocket';
import { keyRoute } from './key-routes';
import { failure, type VaultReply, type VaultRequest } from './routes';
import { secretRoute } from './secret-routes';
import { VaultState } from './vault-state';

export const STAND_IN_TENANT = '72f988bf-0000-4000-8000-000000000000';
const CHALLENGE = `Bearer authorization="https://login.microsoftonline.com/${STAND_IN_TENANT}", resource="https://vault.azure.net"`;

export interface ThrottleSettings {
  /** Requests answered in one window before the next get 429. */
  readonly limit: number;
  readonly windowMs: number;
}

export interface KeyVaultOptions {
  /** Items per list page (default 25), small in tests to show `nextLink` is followed. */
  readonly pageSize?: number;
  readonly throttle?: ThrottleSettings;
}

export interface KeyVaultStandIn {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** The self-signed certificate clients must trust. */
  readonly certPem: string;
  /** Requests answered, per operation (`secrets.get`, `keys.sign`, …, `challenge` for 401s, `throttled` for 429s). */
  requests(): Record<string, number>;
  /** The bearer tokens requests carried (distinct). */
  tokens(): string[];
  /** Sets or clears the throttle from now on. */
  throttle(settings: ThrottleSettings | undefined): void;
  close(): Promise<void>;
}

/** A fixed window of `limit` requests; past it, 429 until the window ends. */
class Throttle {
  private windowStart = 0;
  private used = 0;

  constructor(readonly settings: ThrottleSettings) {}

  /** Seconds to wait, or 0 when the request may proceed (and is counted). */
  retryAfterSeconds(now: number): number {
    if (now - this.windowStart >= this.settings.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used < this.settings.limit) {
      this.used++;
      return 0;
    }
    return Math.max(1, Math.ceil((this.windowStart + this.settings.windowMs - now) / 1000));
  }
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(text);
}

export async function startKeyVault(options: KeyVaultOptions = {}): Promise<KeyVaultStandIn> {
  const certificate = makeSelfSignedCertificate();
  const state = new VaultState();
  const counts: Record<string, number> = {};
  const tokens = new Set<string>();
  let throttle = options.throttle ? new Throttle(options.throttle) : undefined;
  const pageSize = options.pageSize ?? 25;
  const count = (operation: string) => (counts[operation] = (counts[operation] ?? 0) + 1);
  let vaultUrl = '';

  function route(request: VaultRequest): VaultReply {
    return (
      secretRoute(state, request, pageSize) ??
      keyRoute(state, request, pageSize) ??
      failure('unknown', 404, 'NotFound', `${request.method} /${request.segments.join('/')} is not implemented`)
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token) {
      request.resume();
      count('challenge');
      return send(response, 401, undefined, { 'www-authenticate': CHALLENGE });
    }
    tokens.add(token);
    const retryAfter = throttle?.retryAfterSeconds(Date.now()) ?? 0;
    if (retryAfter > 0) {
      request.resume();
      count('throttled');
      const reason =
        'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached';
      return send(
        response,
        429,
        { error: { code: 'Throttled', message: reason } },
        { 'retry-after': String(retryAfter) },
      );
    }
    const url = new URL(request.url ?? '/', vaultUrl);
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const body = await readBody(request);
    const reply = route({ method: request.method ?? 'GET', segments, query: url.searchParams, body, vaultUrl });
    count(reply.operation);
    send(response, reply.status, reply.body);
  }

  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (request, response) => {
    handle(request, response).catch((error: unknown) =>
      send(response, 500, { error: { code: 'StandInError', message: String(error) } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  vaultUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: vaultUrl,
    certPem: certificate.certPem,
    requests: () => ({ ...counts }),
    tokens: () => [...tokens],
    throttle: (settings) => (throttle = settings ? new Throttle(settings) : undefined),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
