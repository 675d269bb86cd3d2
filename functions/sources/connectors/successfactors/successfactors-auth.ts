/**
 * How the SuccessFactors connector authenticates, as SAP documents it:
 *
 * - OAuth 2.0 SAML bearer (recommended by SAP): the connector signs a SAML 2.0 assertion for the API user
 *   with the private key whose X.509 certificate was registered with the OAuth client in Admin Center, and
 *   exchanges it at `POST /oauth/token` (form fields `company_id`, `client_id`, `grant_type` =
 *   `urn:ietf:params:oauth:grant-type:saml2-bearer`, `assertion`) for `{ access_token, expires_in }`. The
 *   token is kept until five minutes before it expires, then a new one is asked for; a token the API
 *   refuses is dropped so the next attempt asks for a new one.
 * - HTTP Basic (`username@companyId:password`): deprecated by SAP, still served where IP-allowlisted.
 *
 * The assertion is written in its exclusive canonical form (no whitespace between elements, attributes in
 * order, empty elements as start and end tags), so the digest and the signature are over exactly the bytes
 * sent. The token request is the one POST the connector sends; it is not retried (a failed token fails the
 * read, and the next cycle asks again), and its errors never carry the assertion or the token.
 */
import { createHash, createSign, randomUUID } from 'node:crypto';
import type { Clock } from '../../../../shared/ports/clock.port';
import { ConnectorAuthError } from '../connector-errors';
import { basicAuthorization } from '../http-client';

export const SAML2_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:saml2-bearer';
/** Issuer and audience of assertions SuccessFactors accepts from a client that signs its own. */
export const SUCCESSFACTORS_AUDIENCE = 'www.successfactors.com';
const TOKEN_MARGIN_MS = 5 * 60_000;
const ASSERTION_LIFETIME_MS = 10 * 60_000;

export interface SamlAssertionInput {
  /** The API user the token acts as (`User.userId`). */
  readonly userId: string;
  /** The OAuth client's API key. */
  readonly clientId: string;
  /** Where the assertion is presented: `https://<api-server>/oauth/token`. */
  readonly tokenUrl: string;
  /** PEM private key (PKCS#8 or PKCS#1) of the registered certificate. */
  readonly privateKey: string;
  readonly now: Date;
}

const XMLNS_SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const XMLNS_DS = 'http://www.w3.org/2000/09/xmldsig#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `<saml2:name attrs>children</saml2:name>` in canonical form (attributes must be passed in order). */
function element(name: string, attributes: readonly [string, string][], children: string): string {
  const attrs = attributes.map(([key, value]) => ` ${key}="${escapeXml(value)}"`).join('');
  return `<${name}${attrs}>${children}</${name}>`;
}

function signedInfo(assertionId: string, digest: string): string {
  const ds = (name: string, attrs: readonly [string, string][], children = '') =>
    element(`ds:${name}`, attrs, children);
  const transforms = ds(
    'Transforms',
    [],
    [`${XMLNS_DS}enveloped-signature`, EXC_C14N].map((a) => ds('Transform', [['Algorithm', a]])).join(''),
  );
  const reference = ds(
    'Reference',
    [['URI', `#${assertionId}`]],
    transforms +
      ds('DigestMethod', [['Algorithm', 'http://www.w3.org/2001/04/xmlenc#sha256']]) +
      ds('DigestValue', [], digest),
  );
  return element(
    'ds:SignedInfo',
    [['xmlns:ds', XMLNS_DS]],
    ds('CanonicalizationMethod', [['Algorithm', EXC_C14N]]) +
      ds('SignatureMethod', [['Algorithm', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256']]) +
      reference,
  );
}

const saml = (name: string, attrs: readonly [string, string][], children = '') =>
  element(`saml2:${name}`, attrs, children);

/** Who the assertion speaks for and until when: subject, conditions, authentication and the API key. */
function assertionStatements(input: SamlAssertionInput, id: string, issued: string, expires: string): string {
  const subject = saml(
    'Subject',
    [],
    saml('NameID', [['Format', 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified']], escapeXml(input.userId)) +
      saml(
        'SubjectConfirmation',
        [['Method', 'urn:oasis:names:tc:SAML:2.0:cm:bearer']],
        saml('SubjectConfirmationData', [
          ['NotOnOrAfter', expires],
          ['Recipient', input.tokenUrl],
        ]),
      ),
  );
  const conditions = saml(
    'Conditions',
    [
      ['NotBefore', issued],
      ['NotOnOrAfter', expires],
    ],
    saml('AudienceRestriction', [], saml('Audience', [], SUCCESSFACTORS_AUDIENCE)),
  );
  const authn = saml(
    'AuthnStatement',
    [
      ['AuthnInstant', issued],
      ['SessionIndex', id],
    ],
    saml(
      'AuthnContext',
      [],
      saml('AuthnContextClassRef', [], 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'),
    ),
  );
  const attributes = saml(
    'AttributeStatement',
    [],
    saml('Attribute', [['Name', 'api_key']], saml('AttributeValue', [], escapeXml(input.clientId))),
  );
  return subject + conditions + authn + attributes;
}

/**
 * A signed SAML 2.0 bearer assertion, base64-encoded as the token endpoint takes it. The XML is written in
 * canonical form (attributes in order, no empty-element shorthand), so the digest over it is the digest of its
 * exclusive canonicalization without the enveloped signature.
 */
export function samlBearerAssertion(input: SamlAssertionInput): string {
  const id = `_${randomUUID()}`;
  const issued = input.now.toISOString();
  const expires = new Date(input.now.getTime() + ASSERTION_LIFETIME_MS).toISOString();
  const issuer = saml('Issuer', [], SUCCESSFACTORS_AUDIENCE);
  const body = assertionStatements(input, id, issued, expires);
  const open: [string, string][] = [
    ['xmlns:saml2', XMLNS_SAML],
    ['ID', id],
    ['IssueInstant', issued],
    ['Version', '2.0'],
  ];
  const unsigned = element('saml2:Assertion', open, issuer + body);
  const info = signedInfo(id, createHash('sha256').update(unsigned).digest('base64'));
  const signature = createSign('RSA-SHA256').update(info).sign(input.privateKey, 'base64');
  const signatureElement = element(
    'ds:Signature',
    [['xmlns:ds', XMLNS_DS]],
    info + element('ds:SignatureValue', [], signature),
  );
  return Buffer.from(element('saml2:Assertion', open, issuer + signatureElement + body), 'utf8').toString('base64');
}

export type SuccessFactorsCredentials =
  | {
      readonly kind: 'basic';
      readonly companyId: string;
      readonly username: string;
      readonly password: () => Promise<string | null>;
    }
  | {
      readonly kind: 'oauth';
      readonly companyId: string;
      readonly clientId: string;
      readonly userId: string;
      readonly privateKey: () => Promise<string | null>;
    };

export interface AuthorizerOptions {
  /** `SuccessFactors source <id>`: how errors name the source. */
  readonly label: string;
  /** The API server, e.g. `https://api4.successfactors.com`. */
  readonly serverUrl: string;
  readonly credentials: SuccessFactorsCredentials;
  readonly clock: Clock;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** The `Authorization` header for every OData request, with the OAuth token cached until near expiry. */
export class SuccessFactorsAuthorizer {
  private token: { value: string; refreshAt: number } | null = null;
  private pending: Promise<string> | null = null;
  /** Token requests sent (for the figures and tests). */
  tokenRequests = 0;

  constructor(private readonly options: AuthorizerOptions) {}

  async authorization(): Promise<string> {
    const { credentials } = this.options;
    if (credentials.kind === 'basic') {
      const password = await credentials.password();
      if (!password) throw new ConnectorAuthError(`${this.options.label}: the password secret is not set`);
      return basicAuthorization(`${credentials.username}@${credentials.companyId}`, password);
    }
    const now = this.options.clock.now().getTime();
    if (this.token && now < this.token.refreshAt) return `Bearer ${this.token.value}`;
    this.pending ??= this.requestToken(credentials).finally(() => (this.pending = null));
    return `Bearer ${await this.pending}`;
  }

  /** Forgets the token (the API refused it: expired or revoked early). True when there was one. */
  dropToken(): boolean {
    const had = this.token !== null;
    this.token = null;
    return had;
  }

  private async requestToken(credentials: Extract<SuccessFactorsCredentials, { kind: 'oauth' }>): Promise<string> {
    const privateKey = await credentials.privateKey();
    if (!privateKey) throw new ConnectorAuthError(`${this.options.label}: the private key secret is not set`);
    const tokenUrl = `${this.options.serverUrl.replace(/\/+$/, '')}/oauth/token`;
    const now = this.options.clock.now();
    let assertion: string;
    try {
      assertion = samlBearerAssertion({ ...credentials, tokenUrl, privateKey, now });
    } catch {
      throw new ConnectorAuthError(`${this.options.label}: the private key could not sign the SAML assertion`);
    }
    const form = new URLSearchParams({
      company_id: credentials.companyId,
      client_id: credentials.clientId,
      grant_type: SAML2_BEARER_GRANT,
      assertion,
    });
    const body = await this.post(tokenUrl, form);
    const token = typeof body.access_token === 'string' ? body.access_token : '';
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in);
    if (token === '' || !Number.isFinite(expiresIn))
      throw new Error(`${this.options.label}: POST /oauth/token answered without access_token and expires_in`);
    this.token = { value: token, refreshAt: now.getTime() + expiresIn * 1000 - TOKEN_MARGIN_MS };
    return token;
  }

  private async post(url: string, form: URLSearchParams): Promise<Record<string, unknown>> {
    this.tokenRequests++;
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch {
      throw new Error(`${this.options.label}: POST /oauth/token got no answer`);
    }
    const text = await response.text();
    if (response.status === 400 || response.status === 401 || response.status === 403)
      throw new ConnectorAuthError(`${this.options.label}: the OAuth credentials were refused (${response.status})`);
    if (!response.ok) throw new Error(`${this.options.label}: POST /oauth/token answered HTTP ${response.status}`);
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new Error(`${this.options.label}: POST /oauth/token answered with a body that is not a JSON object`);
  }
}
