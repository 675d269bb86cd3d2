/** The four 32-bit words of the 128-bit mix (cyrb128-style) of `text`, as unsigned integers. */
export function hashWords128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * A fast, deterministic 128-bit string hash as 32 hex digits, for identifiers derived from content.
 * Not a cryptographic hash: it names things, it does not protect them (commands are signed elsewhere).
 */
export function hash128(text: string): string {
  const [h1, h2, h3, h4] = hashWords128(text);
  writeHex(h1, 0);
  writeHex(h2, 8);
  writeHex(h3, 16);
  writeHex(h4, 24);
  return String.fromCharCode(...digits);
}

const HEX_DIGITS = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];
/** Reused output buffer: one string is built from it per hash, without intermediate strings. */
const digits = new Array<number>(32).fill(48);

function writeHex(n: number, at: number): void {
  for (let i = 7; i >= 0; i--) {
    digits[at + i] = HEX_DIGITS[n & 15]!;
    n >>>= 4;
  }
}
