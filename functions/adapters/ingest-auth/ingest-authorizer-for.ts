/** The ingest authorizer a configuration asks for: local tokens, or an OpenID Connect issuer's. */
import type { IngestAuthorizer } from '../../../shared/ports/ingest-authorizer.port';
import type { SecretStore } from '../../../shared/ports/secret-store.port';
import type { IngestAuthSettings } from '../../config/ingest-auth-settings';
import { JwtBearerAuthorizer } from './jwt-bearer-authorizer';
import { LOCAL_ISSUER, LocalKeySource } from './local-token-issuer';
import { OidcKeySource } from './oidc-key-source';

/** Local tokens are checked by the process that issued them: little clock difference to allow for. */
const LOCAL_CLOCK_SKEW_SECONDS = 60;

export function ingestAuthorizerFor(
  settings: IngestAuthSettings,
  secrets: SecretStore,
  options: { ca?: string } = {},
): IngestAuthorizer {
  if (settings.kind === 'local') {
    return new JwtBearerAuthorizer({
      issuer: LOCAL_ISSUER,
      audiences: [settings.audience],
      role: settings.role,
      clockSkewSeconds: LOCAL_CLOCK_SKEW_SECONDS,
      keys: new LocalKeySource(secrets, settings.signingKey.secret),
    });
  }
  return new JwtBearerAuthorizer({
    issuer: settings.issuer,
    audiences: typeof settings.audience === 'string' ? [settings.audience] : settings.audience,
    role: settings.role,
    clockSkewSeconds: settings.clockSkewSeconds,
    keys: new OidcKeySource({
      issuer: settings.issuer,
      ...(settings.jwksUri ? { jwksUri: settings.jwksUri } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
    }),
  });
}
