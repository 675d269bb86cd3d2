/** The request and reply shapes the stand-in's routes share, and the service's error body. */
export interface VaultRequest {
  readonly method: string;
  /** Path segments, decoded: `/secrets/a/b` → `['secrets', 'a', 'b']`. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  /** `https://127.0.0.1:<port>`: the prefix of every id the stand-in returns. */
  readonly vaultUrl: string;
}

export interface VaultReply {
  readonly status: number;
  readonly body?: unknown;
  /** The operation counted by `requests()`, e.g. `secrets.get`. */
  readonly operation: string;
}

/** The service's error body: `{error: {code, message}}`. */
export function failure(operation: string, status: number, code: string, message: string): VaultReply {
  return { status, operation, body: { error: { code, message } } };
}

/** A page of `items` from `$skiptoken` (an offset here), with a `nextLink` while more remain. */
export function page<T>(request: VaultRequest, items: readonly T[], pageSize: number, path: string) {
  const requested = Number(request.query.get('maxresults') ?? pageSize);
  const size = Math.max(1, Math.min(pageSize, Number.isFinite(requested) ? requested : pageSize));
  const start = Number(request.query.get('$skiptoken') ?? 0);
  const value = items.slice(start, start + size);
  if (start + size >= items.length) return { value, nextLink: null };
  const next = new URLSearchParams({ 'api-version': request.query.get('api-version') ?? '7.6' });
  next.set('$skiptoken', String(start + size));
  next.set('maxresults', String(size));
  return { value, nextLink: `${request.vaultUrl}${path}?${next.toString()}` };
}
