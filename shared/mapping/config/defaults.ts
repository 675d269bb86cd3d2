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
 * Left out (Workday-only data): streetAddress, postalCode, st, c/co, facsimileTelephoneNumber,
 * preferredLanguage; map them from custom fields when an HR source supplies them.
 */
import type { MappingConfigInput } from './config-schema';

/** Quotes a string constant for an expression (Entra escapes only `\` and `"`). */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Letters, digits, "_" and "-" only, diacritics folded, lower case: safe in every logon name. */
function logonSafe(expression: string): string {
  return `ToLower(Replace(NormalizeDiacritics(StripSpaces(${expression})), , "[^A-Za-z0-9_-]", , "", , ))`;
}

/** The local part of a UPN: also keeps "." and the apostrophe, which UPNs allow. */
function upnSafe(expression: string): string {
  return `Replace(NormalizeDiacritics(StripSpaces(${expression})), , "[^A-Za-z0-9'._-]", , "", , )`;
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
  const upn = (first: string) => `Join("@", ${upnSafe(`Join(".", ${first}, [LastName])`)}, ${suffix})`;
  const sam = (expression: string) => `Mid(${logonSafe(expression)}, 1, 20)`;
  return {
    version: 1,
    attributeMappings: [
      { type: 'direct', source: 'WorkerID', target: 'employeeID', apply: 'on-create', matchingPrecedence: 1 },
      { type: 'direct', source: 'FirstName', target: 'givenName' },
      { type: 'direct', source: 'LastName', target: 'sn' },
      { type: 'direct', source: 'PreferredNameData', target: 'displayName' },
      { type: 'direct', source: 'Company', target: 'company' },
      { type: 'direct', source: 'Department', target: 'department' },
      { type: 'direct', source: 'JobTitle', target: 'title' },
      { type: 'direct', source: 'Location', target: 'l' },
      { type: 'direct', source: 'Location', target: 'physicalDeliveryOfficeName' },
      { type: 'direct', source: 'WorkPhone', target: 'telephoneNumber' },
      { type: 'direct', source: 'MobilePhone', target: 'mobile' },
      { type: 'direct', source: 'EmployeeType', target: 'employeeType' },
    ],
    parentOu,
    disabledOu: `OU=Disabled Users,${domainDn}`,
    uniqueValues: {
      sAMAccountName: `SelectUniqueValue(${[
        sam('Join("", Mid([FirstName], 1, 1), [LastName])'),
        sam('Join("", Mid([FirstName], 1, 2), [LastName])'),
        sam('Join("", [FirstName], [LastName])'),
        `Mid(Join("", Mid(${logonSafe('[LastName]')}, 1, 12), [WorkerID]), 1, 20)`,
      ].join(', ')})`,
      userPrincipalName: `SelectUniqueValue(${[upn('[FirstName]'), upn('Mid([FirstName], 1, 1)'), upn('Mid([FirstName], 1, 2)')].join(', ')})`,
      cn: 'SelectUniqueValue(Mid([PreferredNameData], 1, 64), Mid(Join(" ", [PreferredNameData], [WorkerID]), 1, 64))',
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
