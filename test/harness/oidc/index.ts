/**
 * An OpenID Connect issuer stand-in over HTTPS, laid out as Entra ID's: the discovery document at
 * `/<tenant>/v2.0/.well-known/openid-configuration` (issuer `<url>/<tenant>/v2.0`) and the JWKS at
 * `/<tenant>/discovery/v2.0/keys`. It signs tokens with its current RSA key (or an EC key for ES256),
 * rotates keys keeping the previous one published, and counts the requests for each document.
 */
import { createHmac, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { makeSelfSignedCertificate } from '../service-bus/websocket';

export const TEST_TENANT = '4f1c0d2e-0000-4000-8000-00000000abcd';
export const TEST_AUDIENCE = 'api://hr2ad-ingest-test';

export type TestAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'ES256';

export interface IssueOptions {
  /** The header's kid (default: the signing key's own). */
  readonly kid?: string;
  readonly alg?: TestAlgorithm;
  /** `exp` relative to now (default 3600; negative for an expired token). */
  readonly expiresInSeconds?: number;
  readonly audience?: string;
  readonly issuer?: string;
  /** Sign with this private key instead of a published one. */
  readonly key?: KeyObject;
}

export interface TestIssuer {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** The `iss` its tokens carry: `<url>/<tenant>/v2.0`. */
  readonly issuer: string;
  /** The self-signed certificate clients must trust. */
  readonly certPem: string;
  /** The kid of the current RSA key. */
  currentKid(): string;
  /** A signed token: iss, aud, iat, nbf and exp set, then `claims` over them (undefined removes one). */
  issue(claims: Record<string, unknown>, options?: IssueOptions): string;
  /** A new current RSA key (the previous stays published); its kid. */
  rotate(): string;
  /** How many times the JWKS / the discovery document were fetched. */
  jwksFetches(): number;
  discoveryFetches(): number;
  close(): Promise<void>;
}

interface IssuerKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

function rsaKey(): IssuerKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: `rsa-${randomUUID()}`, privateKey, publicKey };
}

function ecKey(): IssuerKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid: `ec-${randomUUID()}`, privateKey, publicKey };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An `alg: none` token: no signature at all. */
export function unsignedToken(payload: Record<string, unknown>): string {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
}

/** An HS256 token with `secret` as the HMAC key (the algorithm-confusion attack uses a public key's PEM). */
export function hs256Token(payload: Record<string, unknown>, secret: string, kid?: string): string {
  const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })}.${base64url(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

export async function startTestIssuer(tenant = TEST_TENANT): Promise<TestIssuer> {
  const certificate = makeSelfSignedCertificate();
  const rsaKeys: IssuerKey[] = [rsaKey()];
  const ec = ecKey();
  const counts = { jwks: 0, discovery: 0 };
  let url = '';
  const issuerOf = () => `${url}/${tenant}/v2.0`;
  const current = () => rsaKeys[rsaKeys.length - 1] as IssuerKey;

  function jwks(): unknown {
    const published = [...rsaKeys.slice(-2), ec].map((key) => ({
      ...key.publicKey.export({ format: 'jwk' }),
      kid: key.kid,
      use: 'sig',
    }));
    return { keys: published };
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', url).pathname;
    if (path === `/${tenant}/v2.0/.well-known/openid-configuration`) {
      counts.discovery++;
      return send(response, 200, {
        issuer: issuerOf(),
        jwks_uri: `${url}/${tenant}/discovery/v2.0/keys`,
        token_endpoint: `${url}/${tenant}/oauth2/v2.0/token`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (path === `/${tenant}/discovery/v2.0/keys`) {
      counts.jwks++;
      return send(response, 200, jwks());
    }
    send(response, 404, { error: 'not_found' });
  }

  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function issue(claims: Record<string, unknown>, options: IssueOptions = {}): string {
    const alg = options.alg ?? 'RS256';
    const signer = alg === 'ES256' ? ec : current();
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: options.issuer ?? issuerOf(),
      aud: options.audience ?? TEST_AUDIENCE,
      iat: now,
      nbf: now,
      exp: now + (options.expiresInSeconds ?? 3600),
      ...claims,
    };
    // A claim given as undefined is left out (a token without exp, without sub).
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    return jwt.sign(payload, options.key ?? signer.privateKey, { algorithm: alg, keyid: options.kid ?? signer.kid });
  }

  return {
    url,
    issuer: issuerOf(),
    certPem: certificate.certPem,
    currentKid: () => current().kid,
    issue,
    rotate: () => {
      rsaKeys.push(rsaKey());
      return current().kid;
    },
    jwksFetches: () => counts.jwks,
    discoveryFetches: () => counts.discovery,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
