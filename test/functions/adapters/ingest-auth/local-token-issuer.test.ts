/**
 * Local ingest tokens: `issueIngestToken` creates the ES256 key in the secret store on first use and
 * reuses it; the authorizer for `{kind: 'local'}` accepts what it issued and refuses tokens from another
 * store, expired ones, ones for another audience or role, and everything while the store has no key.
 * Also the settings' defaults and refusals, and the authorizer an `oidc` configuration gets.
 */
import jwt from 'jsonwebtoken';
import { ingestAuthSettings } from '../../../../functions/config/ingest-auth-settings';
import { ingestAuthorizerFor } from '../../../../functions/adapters/ingest-auth/ingest-authorizer-for';
import {
  LOCAL_ISSUER,
  LocalKeySource,
  issueIngestToken,
} from '../../../../functions/adapters/ingest-auth/local-token-issuer';
import { SigningKeyError } from '../../../../functions/adapters/signing/secret-store-command-signer';
import { startTestIssuer, TEST_AUDIENCE } from '../../../harness/oidc/index';
import { MemorySecretStore } from '../../../harness/memory-secret-store';

const LOCAL = ingestAuthSettings.parse({ kind: 'local' });
if (LOCAL.kind !== 'local') throw new Error('expected local settings');

describe('ingestAuthSettings', () => {
  it('fills the local defaults', () => {
    expect(LOCAL).toEqual({
      kind: 'local',
      audience: 'api://hr2ad',
      role: 'Ingest.Upload',
      signingKey: { secret: 'ingest-token-key' },
    });
  });

  it('fills the oidc defaults and accepts several audiences', () => {
    const issuer = 'https://login.microsoftonline.com/72f988bf-0000-4000-8000-000000000000/v2.0';
    expect(ingestAuthSettings.parse({ kind: 'oidc', issuer, audience: ['api://hr2ad', 'c0ffee'] })).toEqual({
      kind: 'oidc',
      issuer,
      audience: ['api://hr2ad', 'c0ffee'],
      role: 'Ingest.Upload',
      clockSkewSeconds: 120,
    });
  });

  it.each([
    ['an unknown key', { kind: 'local', extra: 1 }],
    ['a bad secret name', { kind: 'local', signingKey: { secret: 'no spaces' } }],
    ['oidc without an audience', { kind: 'oidc', issuer: 'https://issuer.example/v2.0' }],
    ['an issuer that is not a URL', { kind: 'oidc', issuer: 'tenant', audience: 'a' }],
    ['an empty audience list', { kind: 'oidc', issuer: 'https://issuer.example', audience: [] }],
    ['a clock skew over 600', { kind: 'oidc', issuer: 'https://issuer.example', audience: 'a', clockSkewSeconds: 601 }],
    ['an unknown kind', { kind: 'saml' }],
  ])('refuses %s', (_name, value) => {
    expect(ingestAuthSettings.safeParse(value).success).toBe(false);
  });
});

describe('local ingest tokens', () => {
  it('issues a token the local authorizer accepts; the key is created once and reused', async () => {
    const store = new MemorySecretStore();
    const first = await issueIngestToken(store, LOCAL, { subject: 'payroll-export', days: 30 });
    const second = await issueIngestToken(store, LOCAL, { subject: 'csv-upload', days: 1 });
    expect(await store.list()).toEqual(['ingest-token-key']);
    expect(jwt.decode(first, { complete: true })?.header.kid).toBe(jwt.decode(second, { complete: true })?.header.kid);

    const authorizer = ingestAuthorizerFor(LOCAL, store);
    expect(await authorizer.authorize(`Bearer ${first}`)).toEqual({
      ok: true,
      principal: { subject: 'payroll-export', clientId: null, roles: ['Ingest.Upload'] },
    });
    expect((await authorizer.authorize(`Bearer ${second}`)).ok).toBe(true);
  });

  it('carries iss, aud, roles and a lifetime of the days asked', async () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const token = await issueIngestToken(new MemorySecretStore(), LOCAL, { subject: 's', days: 7, now });
    const decoded = jwt.decode(token, { complete: true });
    expect(decoded?.header).toMatchObject({ alg: 'ES256', kid: expect.stringMatching(/^es256-/) });
    const at = now.getTime() / 1000;
    expect(decoded?.payload).toEqual({
      iss: LOCAL_ISSUER,
      aud: 'api://hr2ad',
      sub: 's',
      roles: ['Ingest.Upload'],
      iat: at,
      nbf: at,
      exp: at + 7 * 86_400,
    });
  });

  it('refuses a token from another store, and every token while its own store has no key', async () => {
    const other = await issueIngestToken(new MemorySecretStore(), LOCAL, { subject: 's', days: 1 });
    const empty = ingestAuthorizerFor(LOCAL, new MemorySecretStore());
    expect(await empty.authorize(`Bearer ${other}`)).toMatchObject({ ok: false, status: 401, code: 'invalid-token' });

    const store = new MemorySecretStore();
    await issueIngestToken(store, LOCAL, { subject: 's', days: 1 });
    const result = await ingestAuthorizerFor(LOCAL, store).authorize(`Bearer ${other}`);
    expect(result).toMatchObject({ ok: false, status: 401, code: 'invalid-token' });
  });

  it('finds a key created after it first looked (no key is not cached)', async () => {
    const store = new MemorySecretStore();
    const keys = new LocalKeySource(store, 'ingest-token-key');
    expect(await keys.key('es256-0000000000000000', 'ES256')).toBeNull();
    const token = await issueIngestToken(store, LOCAL, { subject: 's', days: 1 });
    const kid = jwt.decode(token, { complete: true })?.header.kid;
    expect(await keys.key(kid, 'ES256')).not.toBeNull();
    expect(await keys.key(kid, 'RS256')).toBeNull();
    expect(await keys.key(undefined, 'ES256')).toBeNull();
  });

  it('refuses expired tokens, tokens for another audience and tokens with another role', async () => {
    const store = new MemorySecretStore();
    const authorizer = ingestAuthorizerFor(LOCAL, store);
    const expired = await issueIngestToken(store, LOCAL, {
      subject: 's',
      days: 30,
      now: new Date(Date.now() - 31 * 86_400_000),
    });
    const elsewhere = await issueIngestToken(
      store,
      { ...LOCAL, audience: 'api://elsewhere' },
      { subject: 's', days: 1 },
    );
    const reader = await issueIngestToken(store, LOCAL, { subject: 's', days: 1, role: 'Status.Read' });
    expect(await authorizer.authorize(`Bearer ${expired}`)).toMatchObject({ code: 'expired', status: 401 });
    expect(await authorizer.authorize(`Bearer ${elsewhere}`)).toMatchObject({ code: 'wrong-audience', status: 401 });
    expect(await authorizer.authorize(`Bearer ${reader}`)).toMatchObject({ code: 'forbidden', status: 403 });
  });

  it.each([0, 366, 1.5])('refuses %s days', async (days) => {
    await expect(issueIngestToken(new MemorySecretStore(), LOCAL, { subject: 's', days })).rejects.toThrow(
      'days must be a whole number from 1 to 365',
    );
  });

  it('names the secret, never its value, when the stored key is unusable', async () => {
    const store = new MemorySecretStore();
    await store.set(
      'ingest-token-key',
      '{"keyId":"es256-0123456789abcdef","algorithm":"ES256","privateKeyPem":"junk"}',
    );
    const issued = issueIngestToken(store, LOCAL, { subject: 's', days: 1 });
    await expect(issued).rejects.toThrow(SigningKeyError);
    await expect(issued).rejects.toThrow('secret ingest-token-key: privateKeyPem is not a PEM private key');
  });
});

describe('ingestAuthorizerFor oidc', () => {
  it('checks tokens against the configured issuer, trusting the given CA', async () => {
    const issuer = await startTestIssuer();
    try {
      const settings = ingestAuthSettings.parse({ kind: 'oidc', issuer: issuer.issuer, audience: TEST_AUDIENCE });
      const authorizer = ingestAuthorizerFor(settings, new MemorySecretStore(), { ca: issuer.certPem });
      const token = issuer.issue({ sub: 'sp', roles: ['Ingest.Upload'] });
      expect(await authorizer.authorize(`Bearer ${token}`)).toEqual({
        ok: true,
        principal: { subject: 'sp', clientId: null, roles: ['Ingest.Upload'] },
      });
    } finally {
      await issuer.close();
    }
  });
});
