/**
 * Conversions between plain values and the worker's RPC shapes, for the parts the host owns: what the
 * Functions host would put on the wire for a trigger, and how it reads a function's return value back.
 * The programming model does the other half (RPC → HttpRequest, Timer; result → RPC).
 */
import type { RpcTypedData } from './functions-core-shim';

/** An HTTP request as the local server hands it to the invoker. */
export interface LocalHttpRequest {
  readonly method: string;
  /** Absolute URL, as the host gives it (`http://127.0.0.1:7071/api/…?…`). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Route parameters matched from the route template. */
  readonly params: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
}

/** The HTTP response a function produced. */
export interface LocalHttpResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  /** `Set-Cookie` header values. */
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/** The HTTP trigger's RPC data (`RpcHttp`); the query is left to the URL, which keeps repeated keys. */
export function toRpcHttpTrigger(request: LocalHttpRequest): RpcTypedData {
  return {
    http: {
      method: request.method,
      url: request.url,
      headers: { ...request.headers },
      params: { ...request.params },
      body: request.body && request.body.length > 0 ? { bytes: request.body } : undefined,
    },
  };
}

/** A value the way the host passes JSON-ish trigger data (`{string: JSON}`); undefined stays absent. */
export function toRpcJsonString(value: unknown): RpcTypedData | undefined {
  return value === undefined ? undefined : { string: JSON.stringify(value) };
}

/** A received Service Bus message, as far as the trigger passes it on. */
export interface ServiceBusTriggerMessage {
  readonly body: unknown;
  readonly messageId?: string | number | Buffer;
  readonly deliveryCount?: number;
  readonly enqueuedTimeUtc?: Date;
  readonly sessionId?: string;
  readonly applicationProperties?: Readonly<Record<string, unknown>>;
}

/** A message body as trigger input: bytes stay bytes, text stays text, anything else travels as JSON. */
export function toRpcMessageBody(body: unknown): RpcTypedData | undefined {
  if (body === undefined || body === null) return undefined;
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return { bytes: body };
  if (typeof body === 'string') return { string: body };
  return { json: JSON.stringify(body) };
}

/** The trigger metadata the Service Bus extension sends with a message (only the properties it has). */
export function serviceBusTriggerMetadata(message: ServiceBusTriggerMessage): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {};
  if (message.messageId !== undefined) metadata['MessageId'] = { string: String(message.messageId) };
  if (message.deliveryCount !== undefined) metadata['DeliveryCount'] = { int: message.deliveryCount };
  if (message.enqueuedTimeUtc) metadata['EnqueuedTimeUtc'] = { string: message.enqueuedTimeUtc.toISOString() };
  if (message.sessionId !== undefined) metadata['SessionId'] = { string: message.sessionId };
  metadata['ApplicationProperties'] = { json: JSON.stringify(message.applicationProperties ?? {}) };
  return metadata;
}

/** Reads a non-HTTP return value back (what `toRpcTypedData` made of the function's result). */
export function fromRpcTypedData(data: RpcTypedData | null | undefined): unknown {
  if (data === null || data === undefined) return undefined;
  if (typeof data.string === 'string') return data.string;
  if (typeof data.json === 'string') return JSON.parse(data.json) as unknown;
  if (data.bytes) return Buffer.from(data.bytes);
  if (typeof data.int === 'number') return data.int;
  if (typeof data.double === 'number') return data.double;
  return undefined;
}

interface RpcNullable<T> {
  readonly value?: T;
}

interface RpcCookie {
  readonly name: string;
  readonly value: string;
  readonly domain?: RpcNullable<string>;
  readonly path?: RpcNullable<string>;
  readonly expires?: RpcNullable<{ readonly seconds: number }>;
  readonly secure?: RpcNullable<boolean>;
  readonly httpOnly?: RpcNullable<boolean>;
  readonly sameSite?: string;
  readonly maxAge?: RpcNullable<number>;
}

interface RpcHttpResponse {
  readonly statusCode?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cookies?: readonly RpcCookie[];
  readonly body?: RpcTypedData;
}

const SAME_SITE: Readonly<Record<string, string>> = { lax: 'Lax', strict: 'Strict', explicitNone: 'None' };

/** One `Set-Cookie` value (RFC 6265 attributes). */
export function toSetCookie(cookie: RpcCookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  if (cookie.expires?.value) parts.push(`Expires=${new Date(cookie.expires.value.seconds * 1000).toUTCString()}`);
  if (cookie.maxAge?.value !== undefined) parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  const sameSite = cookie.sameSite === undefined ? undefined : SAME_SITE[cookie.sameSite];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}

/**
 * The HTTP response from an HTTP function's return value (`{http: RpcHttp}`); a function that returned
 * nothing answers 204, as the host does for an empty HTTP output.
 */
export function fromRpcHttpResponse(data: RpcTypedData | null | undefined): LocalHttpResponse {
  const http = (data?.http ?? undefined) as RpcHttpResponse | undefined;
  if (http === undefined) return { status: 204, headers: [], cookies: [], body: Buffer.alloc(0) };
  const body = fromRpcTypedData(http.body);
  return {
    status: Number(http.statusCode ?? '200'),
    headers: Object.entries(http.headers ?? {}),
    cookies: (http.cookies ?? []).map(toSetCookie),
    body: Buffer.isBuffer(body) ? body : Buffer.from(body === undefined ? '' : String(body)),
  };
}
