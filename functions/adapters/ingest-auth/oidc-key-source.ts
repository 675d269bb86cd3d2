/**
 * The public keys of an OpenID Connect issuer (Entra ID), from its JWKS. The JWKS is found through
 * `<issuer>/.well-known/openid-configuration` (or configured), cached, and fetched again when a token names
 * a key it does not hold — the issuer rotated its keys — but at most once per refetch interval, so a flood
 * of tokens with made-up key ids costs the issuer one request a minute, not one per token. The cache is
 * also renewed after a day, so a key the issuer withdrew stops being accepted.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { request } from 'node:https';
import type { Clock } from '../../../shared/ports/clock.port';
import { isAcceptedAlgorithm, jwkFitsAlgorithm, keyFitsAlgorithm, type AcceptedAlgorithm } from './jwt-algorithms';

/** Where a token's verification key comes from. */
export interface KeySource {
  /** The key named `kid` (or the only one fitting `alg` when the token names none), or null when none fits. */
  key(kid: string | undefined, alg: string): Promise<KeyObject | null>;
}

export interface OidcKeySourceOptions {
  readonly issuer: string;
  /** The JWKS address, when not taken from the discovery document. */
  readonly jwksUri?: string;
  /** CA certificate(s), PEM, to trust besides the system's (a test issuer). */
  readonly ca?: string;
  /** Per request (default 10 s). */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  /** The least time between two fetches caused by an unknown key id (default 60 s). */
  readonly refetchIntervalMs?: number;
  /** How long a fetched JWKS is used before it is fetched again (default 24 h). */
  readonly maxAgeMs?: number;
}

/** A JWKS member as issuers publish it; only the fields a public key is built from are kept. */
interface Jwk {
  readonly kid?: string;
  readonly kty?: string;
  readonly use?: string;
  readonly alg?: string;
  readonly crv?: string;
  readonly n?: string;
  readonly e?: string;
  readonly x?: string;
  readonly y?: string;
}

interface KeySet {
  readonly keys: readonly Jwk[];
  readonly fetchedAt: number;
}

const MAX_DOCUMENT_BYTES = 1 << 20;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_REFETCH_INTERVAL_MS = 60_000;
const DEFAULT_MAX_AGE_MS = 24 * 60 * 60_000;

/** GETs a JSON document over HTTPS; errors name the address, never what it answered. */
function getJson(url: string, ca: string | undefined, timeoutMs: number): Promise<unknown> {
  if (!url.startsWith('https://'))
    return Promise.reject(new Error(`${url}: an OpenID issuer must be reached by https`));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', ca, timeout: timeoutMs, headers: { accept: 'application/json' } });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => reject(new Error(`${url}: ${error.message}`)));
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_DOCUMENT_BYTES) req.destroy(new Error(`${url}: the document is larger than 1 MiB`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`${url}: HTTP ${response.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new Error(`${url}: the answer is not JSON`));
        }
      });
    });
    req.end();
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function usableFor(jwk: Jwk, kid: string | undefined, alg: AcceptedAlgorithm): boolean {
  if (kid !== undefined && jwk.kid !== kid) return false;
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  return jwkFitsAlgorithm(jwk, alg);
}

/** The public key of a JWK, or null when it is not a usable key for `alg`. */
function publicKeyOf(jwk: Jwk, alg: AcceptedAlgorithm): KeyObject | null {
  const { kty, crv, n, e, x, y } = jwk;
  try {
    const key = createPublicKey({ key: { kty, crv, n, e, x, y }, format: 'jwk' });
    return keyFitsAlgorithm(key, alg) ? key : null;
  } catch {
    return null;
  }
}

export class OidcKeySource implements KeySource {
  private keySet: KeySet | null = null;
  private fetching: Promise<KeySet> | null = null;
  private lastFetchStartedAt = Number.NEGATIVE_INFINITY;
  private discoveredJwksUri: string | null = null;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly refetchIntervalMs: number;
  private readonly maxAgeMs: number;

  constructor(private readonly options: OidcKeySourceOptions) {
    this.clock = options.clock ?? { now: () => new Date() };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.refetchIntervalMs = options.refetchIntervalMs ?? DEFAULT_REFETCH_INTERVAL_MS;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  }

  /** Rejects only when the issuer's keys cannot be had at all (unreachable, not OIDC): a fault, not a bad token. */
  async key(kid: string | undefined, alg: string): Promise<KeyObject | null> {
    if (!isAcceptedAlgorithm(alg)) return null;
    const held = await this.currentKeySet();
    const found = this.select(held, kid, alg);
    if (found || !this.mayRefetch()) return found;
    return this.select(await this.fetchKeySet(), kid, alg);
  }

  private select(keySet: KeySet, kid: string | undefined, alg: AcceptedAlgorithm): KeyObject | null {
    const candidates = keySet.keys.filter((jwk) => usableFor(jwk, kid, alg));
    // Without a kid the choice must be unambiguous; issuers that rotate always name their keys.
    if (candidates.length !== 1 || !candidates[0]) return null;
    return publicKeyOf(candidates[0], alg);
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private mayRefetch(): boolean {
    return this.now() - this.lastFetchStartedAt >= this.refetchIntervalMs;
  }

  /** The cached keys; fetched when there are none, renewed when old (the old ones serve if renewal fails). */
  private async currentKeySet(): Promise<KeySet> {
    if (!this.keySet) return this.fetchKeySet();
    if (this.now() - this.keySet.fetchedAt >= this.maxAgeMs && this.mayRefetch()) {
      return this.fetchKeySet().catch(() => this.keySet as KeySet);
    }
    return this.keySet;
  }

  /** One fetch at a time: concurrent callers share it. */
  private fetchKeySet(): Promise<KeySet> {
    if (!this.fetching) {
      this.lastFetchStartedAt = this.now();
      this.fetching = this.download().finally(() => (this.fetching = null));
    }
    return this.fetching;
  }

  private async download(): Promise<KeySet> {
    const jwks = await getJson(await this.jwksUri(), this.options.ca, this.timeoutMs);
    if (!isRecord(jwks) || !Array.isArray(jwks.keys)) throw new Error(`${this.options.issuer}: the JWKS has no keys`);
    const keySet = { keys: jwks.keys.filter(isRecord) as Jwk[], fetchedAt: this.now() };
    this.keySet = keySet;
    return keySet;
  }

  private async jwksUri(): Promise<string> {
    if (this.options.jwksUri) return this.options.jwksUri;
    this.discoveredJwksUri ??= await this.discoverJwksUri();
    return this.discoveredJwksUri;
  }

  private async discoverJwksUri(): Promise<string> {
    const address = `${this.options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const discovery = await getJson(address, this.options.ca, this.timeoutMs);
    if (!isRecord(discovery) || typeof discovery.jwks_uri !== 'string')
      throw new Error(`${address}: the discovery document has no jwks_uri`);
    // OpenID Connect Discovery §4.3: a document for another issuer must not be used.
    if (discovery.issuer !== this.options.issuer)
      throw new Error(`${address}: the discovery document is for another issuer than ${this.options.issuer}`);
    return discovery.jwks_uri;
  }
}
