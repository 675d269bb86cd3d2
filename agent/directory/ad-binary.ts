/** AD's binary identifiers in their canonical string forms. */

/** objectGUID bytes → `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (the first three groups are little-endian). */
export function guidToString(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new Error(`objectGUID must be 16 bytes, got ${bytes.length}`);
  const hex = (i: number) => bytes[i]!.toString(16).padStart(2, '0');
  const le = (idx: number[]) => idx.map(hex).join('');
  return `${le([3, 2, 1, 0])}-${le([5, 4])}-${le([7, 6])}-${le([8, 9])}-${le([10, 11, 12, 13, 14, 15])}`;
}

/** The `<GUID=...>` form AD accepts as a search base, independent of where the object is. */
export function guidBase(guid: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(guid)) {
    throw new Error('not a GUID');
  }
  return `<GUID=${guid}>`;
}

/** objectSid / tokenGroups bytes → `S-1-5-21-…`. */
export function sidToString(bytes: Uint8Array): string {
  if (bytes.length < 8) throw new Error('SID too short');
  const revision = bytes[0]!;
  const count = bytes[1]!;
  let authority = 0n;
  for (let i = 2; i < 8; i++) authority = (authority << 8n) | BigInt(bytes[i]!);
  const parts = [`S-${revision}-${authority}`];
  for (let i = 0; i < count; i++) {
    const o = 8 + i * 4;
    if (o + 4 > bytes.length) throw new Error('SID truncated');
    parts.push(String((bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24)) >>> 0));
  }
  return parts.join('-');
}
