/**
 * The signing algorithms ingest tokens may use: asymmetric only. `none` and the HMAC family are never
 * accepted — with HS256 a verifier handed a public key would check a signature anyone can make with it.
 */
import type { KeyObject } from 'node:crypto';

export const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384'] as const;
export type AcceptedAlgorithm = (typeof ACCEPTED_ALGORITHMS)[number];

export function isAcceptedAlgorithm(alg: unknown): alg is AcceptedAlgorithm {
  return (ACCEPTED_ALGORITHMS as readonly unknown[]).includes(alg);
}

const EC_CURVE: Partial<Record<AcceptedAlgorithm, { jwk: string; node: string }>> = {
  ES256: { jwk: 'P-256', node: 'prime256v1' },
  ES384: { jwk: 'P-384', node: 'secp384r1' },
};

/** RSA keys shorter than this are refused, as Entra and the JOSE guidance do. */
const MIN_RSA_BITS = 2048;

/** Whether a JWK's key type (and curve) fits `alg`, checked before the key is built. */
export function jwkFitsAlgorithm(jwk: { kty?: unknown; crv?: unknown }, alg: AcceptedAlgorithm): boolean {
  const curve = EC_CURVE[alg];
  return curve ? jwk.kty === 'EC' && jwk.crv === curve.jwk : jwk.kty === 'RSA';
}

/** Whether a public key is of the kind `alg` verifies with. */
export function keyFitsAlgorithm(key: KeyObject, alg: AcceptedAlgorithm): boolean {
  const curve = EC_CURVE[alg];
  if (curve) return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === curve.node;
  const rsa = key.asymmetricKeyType === 'rsa' || (alg === 'PS256' && key.asymmetricKeyType === 'rsa-pss');
  return rsa && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS;
}
