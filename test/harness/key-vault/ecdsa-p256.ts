/**
 * ECDSA on P-256 over a digest the caller already hashed, as Key Vault's `sign` does. node:crypto only
 * signs messages (it hashes them itself), so the stand-in does the curve arithmetic here, in Jacobian
 * coordinates so a signature costs one inversion. Test-only: not constant-time.
 */
import { randomBytes, type KeyObject } from 'node:crypto';

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const GX = 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n;
const GY = 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n;

/** A point in Jacobian coordinates; z = 0 is the point at infinity. */
interface Jacobian {
  readonly x: bigint;
  readonly y: bigint;
  readonly z: bigint;
}

const INFINITY: Jacobian = { x: 1n, y: 1n, z: 0n };
const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function modPow(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = mod(base, m);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

/** Inverse modulo a prime (Fermat). */
const inverse = (a: bigint, m: bigint) => modPow(a, m - 2n, m);

/** Doubling for a = -3 (dbl-2001-b). */
function double(p: Jacobian): Jacobian {
  if (p.z === 0n || p.y === 0n) return INFINITY;
  const delta = (p.z * p.z) % P;
  const gamma = (p.y * p.y) % P;
  const beta = (p.x * gamma) % P;
  const alpha = (3n * mod(p.x - delta, P) * ((p.x + delta) % P)) % P;
  const x = mod(alpha * alpha - 8n * beta, P);
  const z = mod((p.y + p.z) ** 2n - gamma - delta, P);
  const y = mod(alpha * (4n * beta - x) - 8n * gamma * gamma, P);
  return { x, y, z };
}

/** General addition (add-1998-cmo-2). */
function add(p: Jacobian, q: Jacobian): Jacobian {
  if (p.z === 0n) return q;
  if (q.z === 0n) return p;
  const pz2 = (p.z * p.z) % P;
  const qz2 = (q.z * q.z) % P;
  const u1 = (p.x * qz2) % P;
  const u2 = (q.x * pz2) % P;
  const s1 = (p.y * q.z * qz2) % P;
  const s2 = (q.y * p.z * pz2) % P;
  const h = mod(u2 - u1, P);
  const r = mod(s2 - s1, P);
  if (h === 0n) return r === 0n ? double(p) : INFINITY;
  const hh = (h * h) % P;
  const hhh = (h * hh) % P;
  const v = (u1 * hh) % P;
  const x = mod(r * r - hhh - 2n * v, P);
  const y = mod(r * (v - x) - s1 * hhh, P);
  return { x, y, z: (p.z * q.z * h) % P };
}

/** k·G, and the x coordinate of the result in affine form. */
function baseMultiplyX(k: bigint): bigint {
  let result = INFINITY;
  let addend: Jacobian = { x: GX, y: GY, z: 1n };
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = add(result, addend);
    addend = double(addend);
  }
  const zInverse = inverse(result.z, P);
  return (result.x * zInverse * zInverse) % P;
}

const toBigInt = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const toBytes32 = (value: bigint) => Buffer.from(value.toString(16).padStart(64, '0'), 'hex');

function randomScalar(): bigint {
  for (;;) {
    const k = toBigInt(randomBytes(32));
    if (k > 0n && k < N) return k;
  }
}

/** The signature over a 32-byte SHA-256 digest, as r||s (IEEE P1363), under a P-256 private key. */
export function signDigestP256(privateKey: KeyObject, digest: Uint8Array): Buffer {
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.d) throw new Error('not a P-256 private key');
  const d = toBigInt(Buffer.from(jwk.d, 'base64url'));
  const z = toBigInt(digest);
  for (;;) {
    const k = randomScalar();
    const r = baseMultiplyX(k) % N;
    const s = (inverse(k, N) * ((z + r * d) % N)) % N;
    if (r !== 0n && s !== 0n) return Buffer.concat([toBytes32(r), toBytes32(s)]);
  }
}
