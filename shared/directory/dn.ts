/**
 * Distinguished names per RFC 4514: parsing (both `\,` and `\2C` escapes), formatting with escaping,
 * and comparison. Every DN hr2ad builds from HR data goes through `rdn()`/`formatDn()`, never string
 * concatenation, so a comma or quote in a name can never change where an object lands.
 */

export interface Rdn {
  /** Attribute type as written (e.g. `CN`, `OU`); compared case-insensitively. */
  type: string;
  /** The unescaped value. */
  value: string;
}

export type Dn = readonly Rdn[];

export class DnSyntaxError extends Error {
  override readonly name = 'DnSyntaxError';
}

const HEX = /^[0-9a-fA-F]{2}$/;

/** Escapes an attribute value for use in an RDN (RFC 4514 §2.4). */
export function escapeRdnValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = ch.charCodeAt(0);
    if (ch === '\0') out += '\\00';
    else if (',+"\\<>;='.includes(ch)) out += `\\${ch}`;
    else if ((i === 0 && (ch === ' ' || ch === '#')) || (i === value.length - 1 && ch === ' ')) out += `\\${ch}`;
    // Control characters are legal but invisible in logs; hex keeps them unambiguous.
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

export function formatRdn(rdn: Rdn): string {
  return `${rdn.type}=${escapeRdnValue(rdn.value)}`;
}

export function formatDn(dn: Dn): string {
  return dn.map(formatRdn).join(',');
}

/** Builds `TYPE=value,<parent>` with the value escaped. */
export function childDn(type: string, value: string, parent: string | Dn): string {
  const parentText = typeof parent === 'string' ? parent : formatDn(parent);
  return `${type}=${escapeRdnValue(value)}${parentText ? `,${parentText}` : ''}`;
}

function decodeUtf8(bytes: number[]): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(bytes));
}

/** Parses a DN string. Multi-valued RDNs (`a=1+b=2`) are kept as their first AVA joined back, which AD never uses for users or OUs. */
export function parseDn(text: string): Dn {
  const rdns: Rdn[] = [];
  // Surrounding whitespace is not part of the DN, but an escaped trailing space (`\ `) and any other
  // character of the last value are: only unescaped ASCII whitespace is cut from the end.
  const s = text.trimStart().replace(/(?<!\\)[ \t\r\n]+$/, '');
  if (s === '') return rdns;
  let i = 0;
  while (i < s.length) {
    // attribute type
    const eq = s.indexOf('=', i);
    if (eq < 0) throw new DnSyntaxError(`DN "${text}": missing "=" after position ${i}`);
    const type = s.slice(i, eq).trim();
    if (!/^([A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)*)$/.test(type)) {
      throw new DnSyntaxError(`DN "${text}": invalid attribute type "${type}"`);
    }
    i = eq + 1;
    let value = '';
    let pending: number[] = [];
    /** Where the last escaped character ends in `value`: spaces up to here stay even at the end. */
    let escapedEnd = 0;
    const flush = () => {
      if (pending.length) {
        value += decodeUtf8(pending);
        escapedEnd = value.length;
      }
      pending = [];
    };
    if (s[i] === '"') {
      // Quoted form (RFC 2253, still produced by some servers).
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        value += s[i];
        i++;
      }
      if (s[i] !== '"') throw new DnSyntaxError(`DN "${text}": unterminated quoted value`);
      i++;
      while (s[i] === ' ') i++;
      if (i < s.length && !',;+'.includes(s[i]!)) {
        throw new DnSyntaxError(`DN "${text}": unexpected "${s[i]}" after a quoted value`);
      }
    } else {
      while (i < s.length && s[i] !== ',' && s[i] !== ';' && s[i] !== '+') {
        const ch = s[i]!;
        if (ch === '\\') {
          const next2 = s.slice(i + 1, i + 3);
          if (HEX.test(next2)) {
            pending.push(parseInt(next2, 16));
            i += 3;
          } else if (i + 1 < s.length) {
            flush();
            value += s[i + 1];
            escapedEnd = value.length;
            i += 2;
          } else {
            throw new DnSyntaxError(`DN "${text}": dangling escape at the end`);
          }
        } else {
          flush();
          value += ch;
          i++;
        }
      }
      flush();
      // Unescaped trailing spaces are not part of the value; escaped ones are.
      let end = value.length;
      while (end > escapedEnd && value[end - 1] === ' ') end--;
      value = value.slice(0, end);
    }
    if (s[i] === '+') {
      throw new DnSyntaxError(`DN "${text}": multi-valued RDNs are not supported`);
    }
    rdns.push({ type, value });
    if (i < s.length) {
      i++; // separator
      while (s[i] === ' ') i++;
      if (i >= s.length) throw new DnSyntaxError(`DN "${text}": ends with a separator`);
    }
  }
  return rdns;
}

/** Tries to parse; null when the text is not a DN. */
export function tryParseDn(text: string): Dn | null {
  try {
    return parseDn(text);
  } catch {
    return null;
  }
}

/** A canonical form for comparison: types upper-case, values lower-case (AD compares case-insensitively). */
export function normalizeDn(dn: string | Dn): string {
  const parsed = typeof dn === 'string' ? parseDn(dn) : dn;
  return parsed.map((r) => `${r.type.toUpperCase()}=${escapeRdnValue(r.value.toLowerCase())}`).join(',');
}

export function dnEquals(a: string | Dn, b: string | Dn): boolean {
  return normalizeDn(a) === normalizeDn(b);
}

/** True when `dn` is `ancestor` itself or lies beneath it. */
export function isWithin(dn: string | Dn, ancestor: string | Dn): boolean {
  const d = typeof dn === 'string' ? parseDn(dn) : dn;
  const a = typeof ancestor === 'string' ? parseDn(ancestor) : ancestor;
  if (a.length === 0 || a.length > d.length) return false;
  return normalizeDn(d.slice(d.length - a.length)) === normalizeDn(a);
}

export function parentOf(dn: string | Dn): Dn {
  const d = typeof dn === 'string' ? parseDn(dn) : dn;
  return d.slice(1);
}

export function firstRdn(dn: string | Dn): Rdn | undefined {
  const d = typeof dn === 'string' ? parseDn(dn) : dn;
  return d[0];
}

/** `DC=corp,DC=example,DC=test` → `corp.example.test`. */
export function dnsNameOfDomain(domainDn: string | Dn): string {
  const d = typeof domainDn === 'string' ? parseDn(domainDn) : domainDn;
  return d
    .filter((r) => r.type.toUpperCase() === 'DC')
    .map((r) => r.value)
    .join('.');
}
