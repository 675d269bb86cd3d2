/** What the real SDK clients need to talk to the stand-in: a credential and the client options. */
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { KeyVaultStandIn } from './index';

/** The token every stand-in request carries once the challenge is answered. */
export const STAND_IN_TOKEN = 'stand-in-token';

/** A credential that counts the tokens it hands out. */
export function standInCredential(): TokenCredential & { readonly issued: () => number } {
  let issued = 0;
  return {
    issued: () => issued,
    getToken: async (): Promise<AccessToken> => {
      issued++;
      return { token: STAND_IN_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

/** Trusts the stand-in's certificate; the challenge names vault.azure.net, not 127.0.0.1. */
export function standInClientOptions(vault: KeyVaultStandIn, maxRetries?: number) {
  return {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: vault.certPem },
    ...(maxRetries === undefined ? {} : { retryOptions: { maxRetries } }),
  };
}
