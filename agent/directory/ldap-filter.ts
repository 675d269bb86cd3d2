/**
 * LDAP filters (RFC 4515) built from parts, with every value escaped. HR data only ever enters a filter
 * through `eq()`/`gte()`, so `*`, parentheses, backslashes and NUL are always literal.
 */
const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9-]*$/;

export function escapeFilterValue(value: string): string {
  let out = '';
  for (const ch of value) {
    switch (ch) {
      case '*':
        out += '\\2a';
        break;
      case '(':
        out += '\\28';
        break;
      case ')':
        out += '\\29';
        break;
      case '\\':
        out += '\\5c';
        break;
      case '\0':
        out += '\\00';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

function attr(name: string): string {
  if (!ATTRIBUTE.test(name)) throw new Error(`not an attribute name: ${JSON.stringify(name)}`);
  return name;
}

export const eq = (name: string, value: string): string => `(${attr(name)}=${escapeFilterValue(value)})`;
export const gte = (name: string, value: string): string => `(${attr(name)}>=${escapeFilterValue(value)})`;
/** AD's LDAP_MATCHING_RULE_IN_CHAIN: `attribute` holds `dn` directly or through nesting. */
export const inChain = (name: string, dn: string): string =>
  `(${attr(name)}:1.2.840.113556.1.4.1941:=${escapeFilterValue(dn)})`;
export const present = (name: string): string => `(${attr(name)}=*)`;
export const and = (...parts: string[]): string => (parts.length === 1 ? parts[0]! : `(&${parts.join('')})`);
export const or = (...parts: string[]): string => (parts.length === 1 ? parts[0]! : `(|${parts.join('')})`);
/** User accounts only (not computers, which are also objectClass=user); both parts are indexed. */
export const isUserAccount = `(&${eq('objectClass', 'user')}(!${eq('objectClass', 'computer')}))`;
