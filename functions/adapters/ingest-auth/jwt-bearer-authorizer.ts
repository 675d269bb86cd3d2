/**
 * The ingest authorizer over signed JWT bearer tokens (RFC 6750, RFC 7519), whatever issues them: the
 * header names the key (`kid`) and algorithm, the key source supplies that key, and jsonwebtoken checks the
 * signature, `nbf`, `exp`, `aud` and `iss`. Only asymmetric algorithms are accepted, the algorithm is pinned
 * to the key's kind, and `exp` is required: a token without an end would be a password. Details are written
 * here, never copied from the library, so no part of a token reaches a response or a log.
 */
import type { KeyObject } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import type { Clock } from '../../../shared/ports/clock.port';
import type {
  IngestAuthorization,
  IngestAuthorizer,
  IngestPrincipal,
} from '../../../shared/ports/ingest-authorizer.port';
import { ACCEPTED_ALGORITHMS, isAcceptedAlgorithm, type AcceptedAlgorithm } from './jwt-algorithms';
import type { KeySource } from './oidc-key-source';

export interface JwtBearerAuthorizerOptions {
  /** The `iss` tokens must carry. */
  readonly issuer: string;
  /** The accepted `aud` values (one is enough). */
  readonly audiences: readonly string[];
  /** The app role or delegated scope that allows ingest. */
  readonly role: string;
  readonly clockSkewSeconds: number;
  readonly keys: KeySource;
  readonly clock?: Clock;
}

type Refusal = Extract<IngestAuthorization, { ok: false }>;
interface Verified {
  readonly ok: true;
  readonly payload: JwtPayload;
}

/** Larger than any real access token; refused before any parsing. */
const MAX_TOKEN_LENGTH = 16_384;
const BEARER = /^Bearer(?:\s+(.*))?$/i;

function refuse(code: Refusal['code'], detail: string): Refusal {
  return { ok: false, status: code === 'forbidden' ? 403 : 401, code, detail };
}

/** The token in a `Bearer` header, or the refusal. */
function bearerToken(authorization: string | null): string | Refusal {
  const header = authorization?.trim() ?? '';
  if (header === '') return refuse('missing-token', 'the request has no Authorization header');
  const match = BEARER.exec(header);
  if (!match) return refuse('missing-token', 'the Authorization header does not carry a Bearer token');
  const token = match[1] ?? '';
  if (token === '') return refuse('invalid-token', 'the Bearer token is empty');
  if (/\s/.test(token)) return refuse('invalid-token', 'the Bearer token is not one word');
  if (token.length > MAX_TOKEN_LENGTH) return refuse('invalid-token', 'the token is too long');
  return token;
}

interface TokenHeader {
  readonly alg: AcceptedAlgorithm;
  readonly kid: string | undefined;
}

function tokenHeader(token: string): TokenHeader | Refusal {
  let decoded: jwt.Jwt | null;
  try {
    decoded = jwt.decode(token, { complete: true });
  } catch {
    decoded = null;
  }
  if (!decoded || typeof decoded.payload !== 'object') return refuse('invalid-token', 'the token is not a signed JWT');
  const { alg, kid } = decoded.header;
  if (!isAcceptedAlgorithm(alg))
    return refuse('invalid-token', `the token's algorithm is not one of ${ACCEPTED_ALGORITHMS.join(', ')}`);
  if (kid !== undefined && typeof kid !== 'string') return refuse('invalid-token', 'the token has an invalid kid');
  return { alg, kid };
}

/** jsonwebtoken's failure as one of our codes, by its class and message (never its text). */
function refusalFor(error: unknown, options: JwtBearerAuthorizerOptions): Refusal {
  if (error instanceof jwt.TokenExpiredError) return refuse('expired', 'the token has expired');
  if (error instanceof jwt.NotBeforeError) return refuse('invalid-token', 'the token is not valid yet (nbf)');
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('jwt audience invalid'))
    return refuse('wrong-audience', `the token is not for this API (expected aud ${options.audiences.join(' or ')})`);
  if (message.startsWith('jwt issuer invalid'))
    return refuse('wrong-issuer', `the token is not from the configured issuer ${options.issuer}`);
  if (message === 'invalid signature') return refuse('invalid-token', 'the token signature does not verify');
  return refuse('invalid-token', 'the token is malformed or its claims are invalid');
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** App roles (`roles`, client-credentials tokens) and delegated scopes (`scp`, space-separated). */
function grantsOf(payload: JwtPayload): string[] {
  const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
  return [...new Set([...stringList(payload.roles), ...scopes])];
}

function clientIdOf(payload: JwtPayload): string | null {
  for (const claim of ['azp', 'appid']) {
    const value: unknown = payload[claim];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

export class JwtBearerAuthorizer implements IngestAuthorizer {
  private readonly clock: Clock;

  constructor(private readonly options: JwtBearerAuthorizerOptions) {
    if (options.audiences.length === 0) throw new Error('JwtBearerAuthorizer: at least one audience is required');
    this.clock = options.clock ?? { now: () => new Date() };
  }

  async authorize(authorization: string | null): Promise<IngestAuthorization> {
    const token = bearerToken(authorization);
    if (typeof token !== 'string') return token;
    const header = tokenHeader(token);
    if ('ok' in header) return header;
    const key = await this.options.keys.key(header.kid, header.alg);
    if (!key) return refuse('invalid-token', 'the token is signed with a key the issuer does not publish');
    const verified = this.verified(token, key, header.alg);
    return verified.ok ? this.authorized(verified.payload) : verified;
  }

  private verified(token: string, key: KeyObject, alg: AcceptedAlgorithm): Verified | Refusal {
    try {
      const payload = jwt.verify(token, key, {
        algorithms: [alg],
        issuer: this.options.issuer,
        audience: [...this.options.audiences] as [string, ...string[]],
        clockTolerance: this.options.clockSkewSeconds,
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      });
      if (typeof payload === 'string') return refuse('invalid-token', 'the token payload is not a JSON object');
      return { ok: true, payload };
    } catch (error) {
      return refusalFor(error, this.options);
    }
  }

  private authorized(payload: JwtPayload): IngestAuthorization {
    if (typeof payload.exp !== 'number') return refuse('invalid-token', 'the token has no expiry (exp)');
    if (typeof payload.sub !== 'string' || payload.sub === '')
      return refuse('invalid-token', 'the token has no subject (sub)');
    const principal: IngestPrincipal = {
      subject: payload.sub,
      clientId: clientIdOf(payload),
      roles: grantsOf(payload),
    };
    if (!principal.roles.includes(this.options.role))
      return refuse('forbidden', `the token does not grant the role or scope ${this.options.role}`);
    return { ok: true, principal };
  }
}
