/**
 * The bearer-token checks against a test OpenID issuer laid out as Entra ID (test/harness/oidc). A token is
 * accepted only when every row of this table holds; each failing row has its code:
 *
 * | check                                  | refused as            |
 * |----------------------------------------|-----------------------|
 * | Authorization: Bearer <token>          | missing-token (401)   |
 * | a JWT signed RS256/384/512, PS256, ES256 | invalid-token (401) |
 * | by a key the issuer publishes          | invalid-token (401)   |
 * | nbf reached, exp present               | invalid-token (401)   |
 * | exp not passed (beyond 120 s skew)     | expired (401)         |
 * | aud one of the configured audiences    | wrong-audience (401)  |
 * | iss the configured issuer              | wrong-issuer (401)    |
 * | the role in `roles` or `scp`           | forbidden (403)       |
 *
 * Key rotation and the refetch limit run on an injected clock for the key source; the token's own times
 * are real.
 */
import { generateKeyPairSync } from 'node:crypto';
import { JwtBearerAuthorizer } from '../../../../functions/adapters/ingest-auth/jwt-bearer-authorizer';
import { OidcKeySource } from '../../../../functions/adapters/ingest-auth/oidc-key-source';
import type { IngestAuthorization } from '../../../../shared/ports/ingest-authorizer.port';
import {
  TEST_AUDIENCE,
  hs256Token,
  startTestIssuer,
  unsignedToken,
  type TestIssuer,
} from '../../../harness/oidc/index';

const ROLE = 'Ingest.Upload';
const GRANTED = { sub: 'sp-hr-export', azp: '11111111-2222-3333-4444-555555555555', roles: [ROLE] };

let issuer: TestIssuer;

class ManualClock {
  ms = Date.parse('2026-03-01T00:00:00Z');
  now = () => new Date(this.ms);
  advanceSeconds(seconds: number) {
    this.ms += seconds * 1000;
  }
}

function authorizerFor(clock = new ManualClock(), audiences: string[] = [TEST_AUDIENCE]) {
  const keys = new OidcKeySource({ issuer: issuer.issuer, ca: issuer.certPem, clock });
  return new JwtBearerAuthorizer({ issuer: issuer.issuer, audiences, role: ROLE, clockSkewSeconds: 120, keys });
}

function refusal(code: string, status = 401) {
  return { ok: false, status, code, detail: expect.any(String) };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());

describe('JwtBearerAuthorizer: accepted tokens', () => {
  it('accepts a client-credentials token with the app role, and says who posted', async () => {
    const result = await authorizerFor().authorize(`Bearer ${issuer.issue(GRANTED)}`);
    expect(result).toEqual({
      ok: true,
      principal: { subject: 'sp-hr-export', clientId: GRANTED.azp, roles: [ROLE] },
    });
  });

  it.each(['RS256', 'RS384', 'RS512', 'PS256', 'ES256'] as const)('accepts %s', async (alg) => {
    const result = await authorizerFor().authorize(`Bearer ${issuer.issue(GRANTED, { alg })}`);
    expect(result.ok).toBe(true);
  });

  it('accepts the role as a delegated scope (scp), and takes the client from appid (v1 tokens)', async () => {
    const token = issuer.issue({ sub: 'user-1', appid: 'app-v1', scp: 'User.Read Ingest.Upload' });
    expect(await authorizerFor().authorize(`Bearer ${token}`)).toEqual({
      ok: true,
      principal: { subject: 'user-1', clientId: 'app-v1', roles: ['User.Read', ROLE] },
    });
  });

  it('accepts any configured audience, and the Bearer scheme in any case', async () => {
    const token = issuer.issue(GRANTED, { audience: 'api://second' });
    const authorizer = authorizerFor(new ManualClock(), [TEST_AUDIENCE, 'api://second']);
    expect((await authorizer.authorize(`bearer ${token}`)).ok).toBe(true);
    expect((await authorizer.authorize(`BEARER  ${token} `)).ok).toBe(true);
  });

  it('tolerates the configured clock skew', async () => {
    const justExpired = issuer.issue(GRANTED, { expiresInSeconds: -60 });
    const soonValid = issuer.issue({ ...GRANTED, nbf: nowSeconds() + 60 });
    expect((await authorizerFor().authorize(`Bearer ${justExpired}`)).ok).toBe(true);
    expect((await authorizerFor().authorize(`Bearer ${soonValid}`)).ok).toBe(true);
  });
});

/** Every refused token, by name: also used to check that no detail repeats the token. */
function refusedTokens(): [string, string, string, number?][] {
  const publicPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const strangerEc = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const valid = issuer.issue(GRANTED);
  const [header, , signature] = valid.split('.');
  const tampered = `${header}.${Buffer.from(JSON.stringify({ ...GRANTED, sub: 'someone-else' })).toString('base64url')}.${signature}`;
  const now = nowSeconds();
  const base = { ...GRANTED, iss: issuer.issuer, aud: TEST_AUDIENCE, iat: now, exp: now + 600 };
  return [
    ['expired', issuer.issue(GRANTED, { expiresInSeconds: -600 }), 'expired'],
    ['not valid yet (nbf)', issuer.issue({ ...GRANTED, nbf: now + 600 }), 'invalid-token'],
    ['for another audience', issuer.issue(GRANTED, { audience: 'api://other' }), 'wrong-audience'],
    ['from another issuer', issuer.issue(GRANTED, { issuer: 'https://login.example/x/v2.0' }), 'wrong-issuer'],
    ['unsigned (alg none)', unsignedToken(base), 'invalid-token'],
    ['HS256 with a public key as the secret', hs256Token(base, publicPem, issuer.currentKid()), 'invalid-token'],
    ['signed by an unknown key, published kid', issuer.issue(GRANTED, { key: stranger }), 'invalid-token'],
    ['signed by an unknown key and kid', issuer.issue(GRANTED, { key: stranger, kid: 'nope' }), 'invalid-token'],
    [
      'ES256 naming an RSA key',
      issuer.issue(GRANTED, { alg: 'ES256', key: strangerEc, kid: issuer.currentKid() }),
      'invalid-token',
    ],
    ['with a tampered payload', tampered, 'invalid-token'],
    ['without exp', issuer.issue({ ...GRANTED, exp: undefined }), 'invalid-token'],
    ['without sub', issuer.issue({ ...GRANTED, sub: undefined }), 'invalid-token'],
    ['without the role', issuer.issue({ ...GRANTED, roles: ['Other.Role'], scp: 'User.Read' }), 'forbidden', 403],
  ];
}

describe('JwtBearerAuthorizer: refused tokens', () => {
  it('refuses each bad token with its code', async () => {
    const authorizer = authorizerFor();
    for (const [name, token, code, status] of refusedTokens()) {
      const result = await authorizer.authorize(`Bearer ${token}`);
      expect({ name, result }).toEqual({ name, result: refusal(code, status) });
    }
  });

  it.each<[string, string, string | null]>([
    ['no header', 'missing-token', null],
    ['an empty header', 'missing-token', ''],
    ['Basic credentials', 'missing-token', 'Basic dXNlcjpwYXNzd29yZA=='],
    ['another scheme', 'missing-token', 'Token abc.def.ghi'],
    ['Bearer alone', 'invalid-token', 'Bearer'],
    ['Bearer and a space', 'invalid-token', 'Bearer '],
    ['Bearer garbage', 'invalid-token', 'Bearer garbage'],
    ['Bearer a.b.c', 'invalid-token', 'Bearer a.b.c'],
    ['Bearer glued to its token', 'missing-token', 'BearereyJhbGciOi'],
    ['Bearer with two words', 'invalid-token', 'Bearer two tokens'],
    ['a 20,000-character token', 'invalid-token', `Bearer ${'x'.repeat(20_000)}`],
  ])('refuses %s as %s', async (_name, code, header) => {
    expect(await authorizerFor().authorize(header)).toEqual(refusal(code));
  });

  it('never repeats the token, or any part of it, in a detail', async () => {
    const authorizer = authorizerFor();
    const tokens = [...refusedTokens().map(([, token]) => token), 'garbage', 'a.b.c'];
    for (const token of tokens) {
      const result: IngestAuthorization = await authorizer.authorize(`Bearer ${token}`);
      if (result.ok) throw new Error('expected a refusal');
      for (const part of [token, ...token.split('.').filter((segment) => segment.length > 3)])
        expect(result.detail).not.toContain(part);
    }
  });
});

describe('OidcKeySource: discovery, rotation and the refetch limit', () => {
  it('discovers the JWKS once, then serves keys from its cache', async () => {
    const [jwks, discovery] = [issuer.jwksFetches(), issuer.discoveryFetches()];
    const authorizer = authorizerFor();
    await Promise.all([1, 2, 3].map(() => authorizer.authorize(`Bearer ${issuer.issue(GRANTED)}`)));
    await authorizer.authorize(`Bearer ${issuer.issue(GRANTED)}`);
    expect([issuer.jwksFetches() - jwks, issuer.discoveryFetches() - discovery]).toEqual([1, 1]);
  });

  it('picks up a rotated key with one refetch, once the minute since the last fetch has passed', async () => {
    const clock = new ManualClock();
    const authorizer = authorizerFor(clock);
    expect((await authorizer.authorize(`Bearer ${issuer.issue(GRANTED)}`)).ok).toBe(true);
    const [jwks, discovery] = [issuer.jwksFetches(), issuer.discoveryFetches()];
    issuer.rotate();
    const rotated = `Bearer ${issuer.issue(GRANTED)}`;

    clock.advanceSeconds(30);
    expect(await authorizer.authorize(rotated)).toEqual(refusal('invalid-token'));
    expect(issuer.jwksFetches()).toBe(jwks);

    clock.advanceSeconds(30);
    expect((await authorizer.authorize(rotated)).ok).toBe(true);
    expect((await authorizer.authorize(rotated)).ok).toBe(true);
    expect([issuer.jwksFetches() - jwks, issuer.discoveryFetches() - discovery]).toEqual([1, 0]);
  });

  it('lets a flood of unknown key ids cause at most one JWKS fetch per minute', async () => {
    const clock = new ManualClock();
    const authorizer = authorizerFor(clock);
    await authorizer.authorize(`Bearer ${issuer.issue(GRANTED)}`);
    const before = issuer.jwksFetches();
    const flood = () =>
      Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          authorizer.authorize(`Bearer ${issuer.issue(GRANTED, { kid: `random-${clock.ms}-${i}` })}`),
        ),
      );
    const fetchesAfter = async (seconds: number) => {
      clock.advanceSeconds(seconds);
      const results = await flood();
      expect(results.every((result) => !result.ok && result.code === 'invalid-token')).toBe(true);
      return issuer.jwksFetches() - before;
    };
    expect(await fetchesAfter(1)).toBe(0);
    expect(await fetchesAfter(60)).toBe(1);
    expect(await fetchesAfter(30)).toBe(1);
    expect(await fetchesAfter(29)).toBe(1);
    expect(await fetchesAfter(31)).toBe(2);
  });

  it('renews the JWKS after a day, so a withdrawn key stops verifying', async () => {
    const clock = new ManualClock();
    const authorizer = authorizerFor(clock);
    const old = `Bearer ${issuer.issue(GRANTED)}`;
    expect((await authorizer.authorize(old)).ok).toBe(true);
    issuer.rotate();
    issuer.rotate(); // the JWKS publishes the last two RSA keys: the old one is gone
    clock.advanceSeconds(24 * 3600);
    expect(await authorizer.authorize(old)).toEqual(refusal('invalid-token'));
  });

  it('fails (it is not the caller’s fault) when the issuer cannot be reached or is not what is configured', async () => {
    const unreachable = new OidcKeySource({ issuer: 'https://127.0.0.1:1/t/v2.0', timeoutMs: 2000 });
    await expect(unreachable.key('k', 'RS256')).rejects.toThrow('https://127.0.0.1:1/t/v2.0/.well-known');
    const other = new OidcKeySource({ issuer: `${issuer.url}/other-tenant/v2.0`, ca: issuer.certPem });
    await expect(other.key('k', 'RS256')).rejects.toThrow('HTTP 404');
    const plain = new OidcKeySource({ issuer: 'http://127.0.0.1:1/t/v2.0' });
    await expect(plain.key('k', 'RS256')).rejects.toThrow('must be reached by https');
  });

  it('refuses a discovery document that names another issuer', async () => {
    const trailing = new OidcKeySource({ issuer: `${issuer.issuer}/`, ca: issuer.certPem });
    await expect(trailing.key(issuer.currentKid(), 'RS256')).rejects.toThrow('another issuer');
  });

  it('uses a configured jwksUri without discovery, and returns no key for a refused algorithm', async () => {
    const discovery = issuer.discoveryFetches();
    const keys = new OidcKeySource({
      issuer: issuer.issuer,
      jwksUri: `${issuer.url}/4f1c0d2e-0000-4000-8000-00000000abcd/discovery/v2.0/keys`,
      ca: issuer.certPem,
    });
    expect(await keys.key(issuer.currentKid(), 'RS256')).not.toBeNull();
    expect(await keys.key(issuer.currentKid(), 'HS256')).toBeNull();
    expect(await keys.key(issuer.currentKid(), 'none')).toBeNull();
    expect(issuer.discoveryFetches()).toBe(discovery);
  });
});
