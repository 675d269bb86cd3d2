/**
 * The shipped mapping: Entra's "Workday to Active Directory User Provisioning" default attribute
 * mappings, translated to hr2ad's HR-neutral worker attributes, so a new administrator has a working
 * configuration by naming their domain.
 *
 * Entra default                                   → here
 * WorkerID → employeeID (matching, create only)   → same
 * PreferredNameData → cn (create only)            → uniqueValues.cn (follows name changes)
 * SelectUniqueValue(first.last@…) → UPN            → uniqueValues.userPrincipalName, same candidates
 * Replace(Mid(…[UserID]…,1,20)) → sAMAccountName   → uniqueValues.sAMAccountName from the names
 * Switch([Active], …) → accountDisabled            → the lifecycle (enable at start, disable at end)
 * FirstName → givenName, LastName → sn             → same
 * PreferredNameData → displayName                  → same
 * Company → company                                → same
 * SupervisoryOrganization → department             → Department → department
 * BusinessTitle → title                            → JobTitle → title
 * ManagerReference → manager                       → manager: "follow"
 * Municipality → l, WorkSpaceReference → office    → Location → l, physicalDeliveryOfficeName
 * PrimaryWorkTelephone → telephoneNumber           → WorkPhone → telephoneNumber
 * Mobile → mobile                                  → MobilePhone → mobile
 * Switch([Municipality], OUs…) → parentDN          → parentOu: Switch([Location], OUs…)
 *
 * Added for HR-neutral lifecycles: EmployeeType → employeeType (conversions show in AD).
 *
 * Names in any script (hr2ad's extensions to Entra's functions, see docs/expression-functions.md):
 * - identifiers (sAMAccountName, the UPN's local part) are ASCII: NormalizeDiacritics as Entra does,
 *   then Transliterate for every other script (Ольга Петрова → opetrova, Olga.Petrova@…); when a name
 *   leaves no letter or digit (emoji, punctuation only) the worker id gives `u<id>` and `<id>@suffix`,
 *   after the name-based candidates;
 * - cn, displayName, givenName and sn keep the name as HR spells it (AD takes any Unicode there), cut
 *   to AD's lengths (64, 256, 64, 64);
 * - every text written goes through StripFormatCharacters: bidi controls and zero-width characters
 *   never reach AD. (Control characters never get this far: validation quarantines them.)
 * Left out (Workday-only data): streetAddress, postalCode, st, c/co, facsimileTelephoneNumber,
 * preferredLanguage; map them from custom fields when an HR source supplies them.
 */
import type { MappingConfigInput } from './config-schema';

/** Quotes a string constant for an expression (Entra escapes only `\` and `"`). */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Text for AD without invisible formatting characters (bidi controls, zero-width characters). */
function visible(expression: string): string {
  return `StripFormatCharacters(${expression})`;
}

/** The first `length` characters, without the spaces a cut can leave at either end. */
function cut(expression: string, length: number): string {
  return `Replace(Mid(${expression}, 1, ${length}), , "^ +| +$", , "", , )`;
}

/**
 * A name or id in ASCII: accented Latin letters folded by Entra's table (ø → oe), then any other
 * script transliterated (Владимир → Vladimir, 王 → Wang); emoji and other symbols are dropped.
 */
function ascii(expression: string): string {
  return `Transliterate(NormalizeDiacritics(${expression}))`;
}

/**
 * One part of an identifier: `allowed` characters only, and nothing at all when no letter or digit is
 * left (a name of punctuation must not become an identifier of punctuation).
 */
function identifierPart(expression: string, allowed: string): string {
  const kept = `Replace(${ascii(expression)}, , "[^${allowed}]", , "", , )`;
  return `Replace(${kept}, , "^[^A-Za-z0-9]+$", , "", , )`;
}

/** Letters, digits, "_" and "-" only, lower case: safe in every logon name. */
function logonPart(expression: string): string {
  return `ToLower(${identifierPart(expression, 'A-Za-z0-9_-')})`;
}

/**
 * One dot-separated part of a UPN's local part: also keeps the apostrophe (O'Brien), which UPNs
 * allow, but not ".", so the parts joined with "." never start, end or double a dot.
 */
function upnPart(expression: string): string {
  return identifierPart(expression, "A-Za-z0-9'_-");
}

/** `then`, or empty (a candidate SelectUniqueValue skips) when `test` is empty. */
function unlessEmpty(test: string, then: string): string {
  return `IIF(IsNullOrEmpty(${test}), "", ${then})`;
}

export interface DefaultMappingOptions {
  /** The domain's naming context, e.g. `DC=corp,DC=example,DC=com`. */
  domainDn: string;
  /** The UPN suffix, e.g. `corp.example.com`. */
  upnSuffix: string;
  /** Location → OU DN; workers elsewhere go to `OU=Users,<domain>`. */
  locationOus?: Readonly<Record<string, string>>;
  /** Location → IANA time zone. */
  locationTimeZones?: Readonly<Record<string, string>>;
}

/** The default configuration for a domain. */
export function createDefaultMappingConfig(options: DefaultMappingOptions): MappingConfigInput {
  const { domainDn, upnSuffix } = options;
  const usersOu = `OU=Users,${domainDn}`;
  const locations = Object.entries(options.locationOus ?? {});
  const parentOu = locations.length
    ? `Switch([Location], ${quote(usersOu)}, ${locations.map(([location, ou]) => `${quote(location)}, ${quote(ou)}`).join(', ')})`
    : quote(usersOu);
  const suffix = quote(upnSuffix);
  const samFirst = logonPart('[FirstName]');
  const samLast = logonPart('[LastName]');
  const samId = logonPart('[WorkerID]');
  const sam = (expression: string) => `Mid(${expression}, 1, 20)`;
  // At most 64 characters before the "@": Entra ID's limit, for organisations that sync the account.
  const upnFirst = `Mid(${upnPart('[FirstName]')}, 1, 32)`;
  const upnLast = `Mid(${upnPart('[LastName]')}, 1, 31)`;
  const upnId = `Mid(${upnPart('[WorkerID]')}, 1, 64)`;
  // Join skips an empty local part and leaves the suffix alone; without an "@" the candidate becomes
  // empty (and is skipped). Cheaper than unlessEmpty, which would evaluate the local part twice.
  const upn = (local: string) => `Replace(Join("@", ${local}, ${suffix}), , "^[^@]*$", , "", , )`;
  const displayName = `Join(" ", ${visible('[PreferredFirstName]')}, ${visible('[PreferredLastName]')})`;
  const text = (source: string, target: string) =>
    ({ type: 'expression', expression: visible(`[${source}]`), target }) as const;
  return {
    version: 1,
    attributeMappings: [
      { type: 'direct', source: 'WorkerID', target: 'employeeID', apply: 'on-create', matchingPrecedence: 1 },
      // AD holds at most 64 characters of a given name or surname and 256 of a display name.
      { type: 'expression', expression: cut(visible('[FirstName]'), 64), target: 'givenName' },
      { type: 'expression', expression: cut(visible('[LastName]'), 64), target: 'sn' },
      { type: 'expression', expression: cut(displayName, 256), target: 'displayName' },
      text('Company', 'company'),
      text('Department', 'department'),
      text('JobTitle', 'title'),
      text('Location', 'l'),
      text('Location', 'physicalDeliveryOfficeName'),
      text('WorkPhone', 'telephoneNumber'),
      text('MobilePhone', 'mobile'),
      { type: 'direct', source: 'EmployeeType', target: 'employeeType' },
    ],
    parentOu,
    disabledOu: `OU=Disabled Users,${domainDn}`,
    uniqueValues: {
      // Name-based candidates first, so a name in any script still gets first initial + last name;
      // the id-based ones are the last resort (and the only ones for a name with no letters at all).
      sAMAccountName: `SelectUniqueValue(${[
        sam(`Join("", Mid(${samFirst}, 1, 1), ${samLast})`),
        sam(`Join("", Mid(${samFirst}, 1, 2), ${samLast})`),
        sam(`Join("", ${samFirst}, ${samLast})`),
        unlessEmpty(samLast, sam(`Join("", Mid(${samLast}, 1, 12), ${samId})`)),
        unlessEmpty(samId, sam(`Join("", "u", ${samId})`)),
      ].join(', ')})`,
      userPrincipalName: `SelectUniqueValue(${[
        upn(`Join(".", ${upnFirst}, ${upnLast})`),
        upn(`Join(".", Mid(${upnFirst}, 1, 1), ${upnLast})`),
        upn(`Join(".", Mid(${upnFirst}, 1, 2), ${upnLast})`),
        upn(upnId),
      ].join(', ')})`,
      // cn keeps the name in its own script (AD allows any Unicode); the id tells two people apart.
      cn: `SelectUniqueValue(${cut(displayName, 64)}, ${cut(`Join(" ", ${cut(displayName, 48)}, [WorkerID])`, 64)})`,
    },
    timeZone: { locations: { ...(options.locationTimeZones ?? {}) } },
  };
}

/** Entra's defaults as shipped, for the tutorial domain contoso.com. */
export const DEFAULT_MAPPING_CONFIG: MappingConfigInput = createDefaultMappingConfig({
  domainDn: 'DC=contoso,DC=com',
  upnSuffix: 'contoso.com',
  locationOus: {
    Dallas: 'OU=Dallas,OU=Users,DC=contoso,DC=com',
    Austin: 'OU=Austin,OU=Users,DC=contoso,DC=com',
    Seattle: 'OU=Seattle,OU=Users,DC=contoso,DC=com',
    London: 'OU=London,OU=Users,DC=contoso,DC=com',
  },
  locationTimeZones: {
    Dallas: 'America/Chicago',
    Austin: 'America/Chicago',
    Seattle: 'America/Los_Angeles',
    London: 'Europe/London',
  },
});
