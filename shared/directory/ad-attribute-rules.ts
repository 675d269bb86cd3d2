/**
 * What Active Directory accepts for the attributes hr2ad writes. Some of these Samba does not enforce
 * (the 20-character sAMAccountName), so they are checked before anything reaches the directory: in the
 * planner, so a bad mapping is reported as such, and again in the agent.
 */

/** Schema rangeUpper of common user attributes (characters). */
export const AD_ATTRIBUTE_MAX_LENGTH: Readonly<Record<string, number>> = {
  samaccountname: 20, // legacy (pre-Windows 2000) logon name limit for user accounts
  cn: 64,
  userprincipalname: 1024,
  displayname: 256,
  mail: 256,
  givenname: 64,
  sn: 64,
  initials: 6,
  department: 64,
  title: 128,
  company: 64,
  employeeid: 16,
  employeenumber: 512,
  employeetype: 256,
  physicaldeliveryofficename: 128,
  telephonenumber: 64,
  mobile: 64,
  description: 1024,
  streetaddress: 1024,
  l: 128,
  st: 128,
  postalcode: 40,
  co: 128,
  c: 3,
  division: 256,
  extensionattribute1: 1024,
};

const SAM_FORBIDDEN = /["/\\[\]:;|=,+*?<>]/;
const UPN_LOCAL = /^[A-Za-z0-9'.\-_!#^~]+$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
const CONTROL = /[\u0000-\u001f\u007f]/;

function describeChar(ch: string): string {
  return ch === '"' ? "'\"'" : `"${ch}"`;
}

/** The names the planner checks most, lower-cased once (this runs for every value of every worker). */
const LOWER_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  [
    ...['sAMAccountName', 'userPrincipalName', 'cn', 'mail', 'givenName', 'sn', 'displayName', 'company'],
    ...['department', 'title', 'l', 'physicalDeliveryOfficeName', 'telephoneNumber', 'mobile', 'employeeType'],
    ...['employeeID', 'employeeNumber', 'description', 'streetAddress', 'postalCode', 'division', 'initials'],
  ].map((n) => [n, n.toLowerCase()]),
);

/** Why `value` is not acceptable for `attribute` in AD, or null when it is. */
export function checkAdAttributeValue(attribute: string, value: string): string | null {
  const name = LOWER_NAMES[attribute] ?? attribute.toLowerCase();
  const max = AD_ATTRIBUTE_MAX_LENGTH[name];
  if (value.length === 0) return `${attribute} may not be empty`;
  // Counted in characters (code points); a string no longer in UTF-16 units needs no count.
  if (max !== undefined && value.length > max) {
    const length = [...value].length;
    if (length > max) return `${attribute} is ${length} characters; AD allows at most ${max}`;
  }
  if (CONTROL.test(value)) return `${attribute} contains a control character`;
  switch (name) {
    case 'samaccountname': {
      const bad = SAM_FORBIDDEN.exec(value);
      if (bad) return `sAMAccountName may not contain ${describeChar(bad[0])}`;
      if (value.endsWith('.')) return 'sAMAccountName may not end with "."';
      if (value.trim() !== value) return 'sAMAccountName may not start or end with a space';
      return null;
    }
    case 'userprincipalname': {
      const at = value.lastIndexOf('@');
      if (at <= 0 || at === value.length - 1) return 'userPrincipalName must be local@suffix';
      const local = value.slice(0, at);
      if (!UPN_LOCAL.test(local))
        return `userPrincipalName local part "${local}" may only hold A-Z a-z 0-9 ' . - _ ! # ^ ~`;
      if (local.startsWith('.') || local.endsWith('.') || local.includes('..'))
        return 'userPrincipalName local part may not start or end with "." or hold ".."';
      if (!/^[A-Za-z0-9.-]+$/.test(value.slice(at + 1))) return 'userPrincipalName suffix must be a DNS name';
      return null;
    }
    case 'mail': {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return `mail "${value}" is not an e-mail address`;
      return null;
    }
    case 'cn':
      if (value.trim() !== value) return 'cn may not start or end with a space';
      return null;
    default:
      return null;
  }
}
