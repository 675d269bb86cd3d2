/**
 * The ingest authorizer port: decides whether a request to an ingest endpoint (SCIM bulkUpload, CSV upload)
 * carries an OAuth 2.0 bearer token that allows ingest — signed by the configured issuer, for the configured
 * audience, in force now, and granting the ingest role (app role or delegated scope). In Azure the issuer is
 * Entra ID; in the local runtime, tokens issued by `hr2ad token issue`.
 */

/** Who posted: from the token's claims. */
export interface IngestPrincipal {
  /** The `sub` claim. */
  readonly subject: string;
  /** azp/appid when present */
  readonly clientId: string | null;
  /** The app roles (`roles`) and delegated scopes (`scp`) the token grants. */
  readonly roles: readonly string[];
}

/**
 * The outcome. Refusals carry a code for the response and the log:
 * - `missing-token` (401): no `Authorization` header, or one with another scheme than `Bearer`;
 * - `invalid-token` (401): not a JWT, a refused algorithm (`none`, HS*), a bad signature, an unknown key,
 *   a missing `exp` or `sub`, or not valid yet (`nbf`);
 * - `expired` (401): `exp` has passed (beyond the allowed clock skew);
 * - `wrong-audience` / `wrong-issuer` (401): `aud` / `iss` is not the configured one;
 * - `forbidden` (403): a valid token without the ingest role.
 */
export type IngestAuthorization =
  | { readonly ok: true; readonly principal: IngestPrincipal }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly code: 'missing-token' | 'invalid-token' | 'expired' | 'wrong-audience' | 'wrong-issuer' | 'forbidden';
      readonly detail: string;
    };

export interface IngestAuthorizer {
  /** Checks an `Authorization` header value (null when absent). Never throws for a bad token; detail never holds the token. */
  authorize(authorization: string | null): Promise<IngestAuthorization>;
}
