/**
 * How the ingest endpoints check bearer tokens: tokens this control plane issues itself (the local runtime),
 * or tokens from an OpenID Connect issuer such as Entra ID. Either way the token must be for the configured
 * audience and grant the ingest role, as an app role (`roles`) or a delegated scope (`scp`).
 */
import { z } from 'zod';
import { SECRET_NAME } from '../../shared/ports/secret-store.port';

const roleName = z.string().min(1).default('Ingest.Upload');

export const ingestAuthSettings = z.discriminatedUnion('kind', [
  /** Tokens issued by this control plane (`hr2ad token issue`), signed with an ES256 key in its secret store. */
  z.strictObject({
    kind: z.literal('local'),
    /** The `aud` the tokens carry and must carry (default `api://hr2ad`). */
    audience: z.string().min(1).default('api://hr2ad'),
    /** The role a token must grant (default `Ingest.Upload`). */
    role: roleName,
    /** The secret holding the token-signing key, created on first issue (default `{secret: 'ingest-token-key'}`). */
    signingKey: z
      .strictObject({ secret: z.string().regex(SECRET_NAME, 'must be a secret name (1-127 of A-Z a-z 0-9 -)') })
      .default({ secret: 'ingest-token-key' }),
  }),
  /** An OpenID Connect issuer such as Entra ID: `https://login.microsoftonline.com/<tenant>/v2.0`. */
  z.strictObject({
    kind: z.literal('oidc'),
    /** The issuer, exactly as tokens carry it in `iss`; its keys are found at `<issuer>/.well-known/openid-configuration`. */
    issuer: z.url(),
    /** The accepted `aud` value(s): for Entra the API's application id URI and/or its client id. */
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /** The app role or scope a token must grant (default `Ingest.Upload`). */
    role: roleName,
    /** The issuer's JWKS, when not taken from its discovery document (default: discovered). */
    jwksUri: z.url().optional(),
    /** Tolerated clock difference with the issuer for `exp` and `nbf`, in seconds (default 120). */
    clockSkewSeconds: z.number().int().min(0).max(600).default(120),
  }),
]);

export type IngestAuthSettings = z.infer<typeof ingestAuthSettings>;
export type LocalIngestAuthSettings = Extract<IngestAuthSettings, { kind: 'local' }>;
export type OidcIngestAuthSettings = Extract<IngestAuthSettings, { kind: 'oidc' }>;
