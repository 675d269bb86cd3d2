/**
 * A SCIM user (the `data` of one bulk operation, as Entra's API-driven inbound provisioning takes it)
 * turned into a canonical worker record, or into the SCIM error that fails that operation alone.
 *
 * | SCIM attribute                                   | Worker field                      |
 * |--------------------------------------------------|-----------------------------------|
 * | `externalId` (required)                          | `id` (Entra matches it to employeeId) |
 * | `name.givenName` / `name.familyName` (required)  | `legalName.first` / `legalName.last` |
 * | `name.middleName`                                | `legalName.middle`                |
 * | `nickName`                                       | `preferredName.first`             |
 * | `emails`: primary work, else first work, else first | `email`                        |
 * | `phoneNumbers` of type work / mobile             | `phone.work` / `phone.mobile`     |
 * | `addresses`: work (primary first), else primary: `locality` | `location`             |
 * | `title`                                          | `title`                           |
 * | `timezone`                                       | `timeZone`                        |
 * | `userType` (through `userTypes`; absent: employee) | `employeeType`                  |
 * | `active`                                         | `employmentStatus`, `terminationDate` (below) |
 * | enterprise `department`                          | `department`                      |
 * | enterprise `costCenter`                          | `costCenter`                      |
 * | enterprise `organization`                        | `company`                         |
 * | enterprise `manager.value`                       | `managerId`                       |
 * | enterprise `employeeNumber` / `division`         | `customFields.EmployeeNumber` / `.Division` |
 * | `userName` / `displayName` / `preferredLanguage` / `locale` | `customFields.UserName` / `.DisplayName` / `.PreferredLanguage` / `.Locale` |
 * | custom extension `<urn>` attribute `<Name>`      | `customFields.<Name>`             |
 * | extension attribute `HireDate` (`hireDateAttribute`) | `hireDate` (absent: the day the request arrived, its earliest date anywhere) |
 * | extension attribute `LeaveDate` (`leaveDateAttribute`) | `terminationDate`               |
 *
 * `active`: true → active (terminated later when a leave date is given); false → terminated on the leave
 * date, else yesterday, so the account is disabled at once as Entra does (a hire whose first day has not
 * come yet is rescinded instead); omitted → `activeOmitted`: `keep` leaves the stored status to the
 * caller (`keepStatus`), `disable` reads it as false.
 *
 * Attribute names and URNs match ignoring case (RFC 7643 §2.1); a blank string is an absent value; core
 * attributes not in the table (`id`, `meta`, `name.formatted`, `password`…) are ignored. Every extension
 * key must be listed in `schemas`. Custom attribute values are strings, numbers, booleans, null or lists
 * of strings, under names usable in expressions that are not hr2ad's own attribute names; the hire and
 * leave date attributes are also kept as custom fields unless their name is one of hr2ad's own
 * (`[HireDate]` already reads the hire date).
 */
import { addDays, type CalendarDate } from '../../time/calendar-date';
import { deepEqual } from '../../util/deep-equal';
import { displayText } from '../../util/display-text';
import { pathText } from '../../util/result';
import { isReservedAttributeName } from '../../worker/worker-attributes';
import {
  customFieldName,
  customValue,
  EMPLOYEE_TYPES,
  workerSchema,
  type CustomValue,
  type EmployeeType,
  type EmploymentStatus,
  type WorkerInput,
} from '../../worker/worker-schema';
import { badRequest, attributeText, quoted, type ScimError } from './scim-error';
import type { ScimUserMapping } from './scim-options';
import {
  bool,
  complex,
  fault,
  isObject,
  member,
  multiValued,
  ofType,
  primary,
  sameUrn,
  scimDate,
  ScimFault,
  text,
  type Json,
} from './scim-reading';

export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export interface ScimUserContext {
  readonly source: string;
  /**
   * The day the request arrived, as the earliest date anywhere (`earliestDateAt`): an active user without a
   * hire date is hired today or before in its own zone, never tomorrow.
   */
  readonly receivedOn: string;
  readonly mapping: ScimUserMapping;
}

export type ScimUserConversion =
  | {
      ok: true;
      record: WorkerInput;
      /**
       * `active` omitted under activeOmitted=keep: the caller fills employmentStatus from the stored worker,
       * and terminationDate too unless the record carries one (a leave date was sent); a new worker stays
       * active (record carries employmentStatus 'active' meanwhile).
       */
      keepStatus: boolean;
      externalId: string;
    }
  | {
      ok: false;
      error: ScimError;
      /** when known, so the result can still name the worker */
      externalId: string | null;
    };

/** Worker field path → the SCIM attribute it comes from, for fields whose origin never varies. */
const FIELD_ATTRIBUTES: Readonly<Record<string, string>> = {
  id: 'externalId',
  'legalName.first': 'name.givenName',
  'legalName.middle': 'name.middleName',
  'legalName.last': 'name.familyName',
  'preferredName.first': 'nickName',
  email: 'emails.value',
  'phone.work': 'phoneNumbers[type eq "work"].value',
  'phone.mobile': 'phoneNumbers[type eq "mobile"].value',
  location: 'addresses.locality',
  title: 'title',
  timeZone: 'timezone',
  employeeType: 'userType',
  employmentStatus: 'active',
  terminationDate: 'active',
  department: `${ENTERPRISE_USER_SCHEMA}:department`,
  costCenter: `${ENTERPRISE_USER_SCHEMA}:costCenter`,
  company: `${ENTERPRISE_USER_SCHEMA}:organization`,
  managerId: `${ENTERPRISE_USER_SCHEMA}:manager.value`,
};

/** What a conversion collects beyond the record's plain fields, with where each value came from. */
class Collected {
  readonly custom = new Map<string, { name: string; value: CustomValue; origin: string }>();
  /** Worker field path → SCIM attribute, where it depends on the request (chosen email, extension). */
  readonly origins = new Map<string, string>();
  hireDate: { date: CalendarDate; origin: string } | null = null;
  leaveDate: { date: CalendarDate; origin: string } | null = null;

  /** Adds a custom field; one name (ignoring case, as expressions read it) may be given twice only with one value. */
  addCustom(name: string, value: CustomValue, origin: string): void {
    const key = name.toLowerCase();
    const earlier = this.custom.get(key);
    if (earlier && !deepEqual(earlier.value, value))
      fault('invalidValue', origin, `${name} is also given by ${earlier.origin}, with another value`);
    if (!earlier) {
      this.custom.set(key, { name, value, origin });
      this.origins.set(`customFields.${name}`, origin);
    }
  }

  setDate(which: 'hireDate' | 'leaveDate', date: CalendarDate | null, origin: string): void {
    if (date === null) return;
    const earlier = this[which];
    if (earlier && earlier.date !== date)
      fault('invalidValue', origin, `${date} differs from ${earlier.date} given by ${earlier.origin}`);
    this[which] ??= { date, origin };
  }
}

export function workerFromScimUser(data: unknown, ctx: ScimUserContext): ScimUserConversion {
  const externalId = isObject(data) ? externalIdOf(data) : null;
  try {
    if (!isObject(data)) fault('invalidSyntax', 'data', 'must be an object (the SCIM user)');
    return convert(data, ctx);
  } catch (thrown) {
    if (thrown instanceof ScimFault) return { ok: false, error: thrown.error, externalId };
    throw thrown;
  }
}

function externalIdOf(data: Json): string | null {
  const value = member(data, 'externalId');
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function convert(data: Json, ctx: ScimUserContext): ScimUserConversion {
  const id = text(data, 'externalId', 'externalId');
  if (id === null) fault('invalidValue', 'externalId', "is required: the worker's id in the HR system");
  const collected = new Collected();
  const extensions = extensionsOf(data);
  for (const [urn, attributes] of extensions) {
    if (sameUrn(urn, ENTERPRISE_USER_SCHEMA)) continue;
    readCustomExtension(urn, attributes, ctx.mapping, collected);
  }
  const enterprise = extensions.find(([urn]) => sameUrn(urn, ENTERPRISE_USER_SCHEMA))?.[1] ?? {};
  const status = statusOf(data, ctx, collected);
  const record: WorkerInput = {
    source: ctx.source,
    id,
    ...namesOf(data),
    ...contactsOf(data, collected),
    title: text(data, 'title', 'title'),
    timeZone: text(data, 'timezone', 'timezone'),
    employeeType: employeeTypeOf(data, ctx.mapping),
    ...organisationOf(enterprise, collected),
    employmentStatus: status.employmentStatus,
    hireDate: status.hireDate,
    terminationDate: status.terminationDate,
    customFields: {},
  };
  readCoreExtras(data, collected);
  record.customFields = Object.fromEntries([...collected.custom.values()].map((f) => [f.name, f.value]));
  const problem = schemaProblem(record, collected.origins);
  if (problem) return { ok: false, error: problem, externalId: id };
  return { ok: true, record, keepStatus: status.keepStatus, externalId: id };
}

/** The extension objects of `data` (URN keys), each listed in `schemas`; checks `schemas` lists the core schema. */
function extensionsOf(data: Json): [urn: string, attributes: Json][] {
  const schemas = member(data, 'schemas');
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string'))
    fault('invalidSyntax', 'schemas', 'must be an array of schema URNs');
  if (!schemas.some((s: string) => sameUrn(s, CORE_USER_SCHEMA)))
    fault('invalidSyntax', 'schemas', `must list ${CORE_USER_SCHEMA}`);
  const extensions: [string, Json][] = [];
  for (const key of Object.keys(data)) {
    if (!key.toLowerCase().startsWith('urn:')) continue;
    const label = attributeText(key);
    if (!schemas.some((s: string) => sameUrn(s, key))) fault('invalidSyntax', label, 'is not listed in schemas');
    if (sameUrn(key, CORE_USER_SCHEMA))
      fault('invalidSyntax', label, 'core attributes are written at the top level of the user');
    const attributes = data[key];
    if (!isObject(attributes)) fault('invalidSyntax', label, 'must be an object');
    extensions.push([key, attributes]);
  }
  return extensions;
}

function namesOf(data: Json): Pick<WorkerInput, 'legalName' | 'preferredName'> {
  const name = complex(data, 'name', 'name') ?? {};
  const nickName = text(data, 'nickName', 'nickName');
  return {
    // An absent part stays undefined so the schema reports it as required, under the SCIM name.
    legalName: {
      first: text(name, 'givenName', 'name.givenName') ?? undefined,
      middle: text(name, 'middleName', 'name.middleName'),
      last: text(name, 'familyName', 'name.familyName') ?? undefined,
    } as WorkerInput['legalName'],
    preferredName: nickName === null ? null : { first: nickName, middle: null, last: null },
  };
}

function contactsOf(data: Json, collected: Collected): Pick<WorkerInput, 'email' | 'phone' | 'location'> {
  const emails = multiValued(data, 'emails');
  const email = ofType(emails, 'work') ?? emails[0];
  if (email && ofType([email], 'work')) collected.origins.set('email', 'emails[type eq "work"].value');
  const phones = multiValued(data, 'phoneNumbers');
  const work = ofType(phones, 'work');
  const mobile = ofType(phones, 'mobile');
  const addresses = multiValued(data, 'addresses');
  const address = ofType(addresses, 'work') ?? primary(addresses);
  if (address && !ofType([address], 'work')) collected.origins.set('location', 'addresses[primary eq true].locality');
  return {
    email: email ? text(email, 'value', 'emails.value') : null,
    phone: {
      work: work ? text(work, 'value', FIELD_ATTRIBUTES['phone.work']!) : null,
      mobile: mobile ? text(mobile, 'value', FIELD_ATTRIBUTES['phone.mobile']!) : null,
    },
    location: address ? text(address, 'locality', 'addresses.locality') : null,
  };
}

const CANONICAL_TYPES: ReadonlySet<string> = new Set(EMPLOYEE_TYPES);

function employeeTypeOf(data: Json, mapping: ScimUserMapping): EmployeeType {
  const userType = text(data, 'userType', 'userType');
  if (userType === null) return 'employee';
  const wanted = userType.trim().toLowerCase();
  for (const [name, type] of Object.entries(mapping.userTypes)) if (name.toLowerCase() === wanted) return type;
  if (CANONICAL_TYPES.has(wanted)) return wanted as EmployeeType;
  const known = [...Object.keys(mapping.userTypes), ...EMPLOYEE_TYPES].join(', ');
  return fault('invalidValue', 'userType', `${quoted(userType)} is not a known user type (${known})`);
}

function organisationOf(
  enterprise: Json,
  collected: Collected,
): Pick<WorkerInput, 'department' | 'costCenter' | 'company' | 'managerId'> {
  const at = (name: string) => `${ENTERPRISE_USER_SCHEMA}:${name}`;
  const manager = complex(enterprise, 'manager', at('manager'));
  for (const [name, field] of [
    ['employeeNumber', 'EmployeeNumber'],
    ['division', 'Division'],
  ] as const) {
    const value = text(enterprise, name, at(name));
    if (value !== null) collected.addCustom(field, value, at(name));
  }
  return {
    department: text(enterprise, 'department', at('department')),
    costCenter: text(enterprise, 'costCenter', at('costCenter')),
    company: text(enterprise, 'organization', at('organization')),
    managerId: manager ? text(manager, 'value', at('manager.value')) : null,
  };
}

/** Core attributes hr2ad has no field for, kept so mappings can use them. */
const CORE_EXTRAS = [
  ['userName', 'UserName'],
  ['displayName', 'DisplayName'],
  ['preferredLanguage', 'PreferredLanguage'],
  ['locale', 'Locale'],
] as const;

function readCoreExtras(data: Json, collected: Collected): void {
  for (const [attribute, field] of CORE_EXTRAS) {
    const value = text(data, attribute, attribute);
    if (value !== null) collected.addCustom(field, value, attribute);
  }
}

function readCustomExtension(urn: string, attributes: Json, mapping: ScimUserMapping, collected: Collected): void {
  const hireName = mapping.hireDateAttribute.toLowerCase();
  const leaveName = mapping.leaveDateAttribute.toLowerCase();
  for (const [name, value] of Object.entries(attributes)) {
    const label = `${attributeText(urn)}:${attributeText(name)}`;
    const lower = name.toLowerCase();
    if (lower === hireName) collected.setDate('hireDate', scimDate(value, label), label);
    if (lower === leaveName) collected.setDate('leaveDate', scimDate(value, label), label);
    const isDate = lower === hireName || lower === leaveName;
    if (isDate && isReservedAttributeName(name)) continue;
    if (!customFieldName.safeParse(name).success)
      fault(
        'invalidValue',
        label,
        'is not a usable attribute name: a letter, then letters, digits or "_" (at most 64)',
      );
    if (isReservedAttributeName(name))
      fault(
        'invalidValue',
        label,
        `is the name of one of hr2ad's own attributes ([${name}]); rename it in the extension`,
      );
    if (!customValue.safeParse(value).success)
      fault('invalidValue', label, 'must be a string, a number, true/false, null or a list of strings');
    collected.addCustom(name, value as CustomValue, label);
  }
}

interface Status {
  readonly employmentStatus: EmploymentStatus;
  readonly hireDate: CalendarDate;
  readonly terminationDate: CalendarDate | null;
  readonly keepStatus: boolean;
}

function statusOf(data: Json, ctx: ScimUserContext, collected: Collected): Status {
  const active = bool(data, 'active', 'active');
  const given = collected.hireDate?.date ?? null;
  const leave = collected.leaveDate;
  if (given && leave && leave.date < given)
    fault('invalidValue', leave.origin, `the last day of work ${leave.date} is before the hire date ${given}`);
  if (given) collected.origins.set('hireDate', collected.hireDate!.origin);
  if (leave) collected.origins.set('terminationDate', leave.origin);
  const disable = active === false || (active === null && ctx.mapping.activeOmitted === 'disable');
  if (!disable) {
    const hireDate = given ?? ctx.receivedOn;
    return { employmentStatus: 'active', hireDate, terminationDate: leave?.date ?? null, keepStatus: active === null };
  }
  // A hire cancelled before its first day is rescinded: there is no last day of work to give.
  if (given && !leave && given >= ctx.receivedOn)
    return { employmentStatus: 'rescinded', hireDate: given, terminationDate: null, keepStatus: false };
  const terminationDate = leave?.date ?? addDays(ctx.receivedOn, -1);
  // Without a hire date, a leaver's record still has to be a valid one: hired no later than it left.
  const hireDate = given ?? (terminationDate < ctx.receivedOn ? terminationDate : ctx.receivedOn);
  return { employmentStatus: 'terminated', hireDate, terminationDate, keepStatus: false };
}

/** The worker schema's first complaint about `record`, named by the SCIM attribute it came from. */
function schemaProblem(record: WorkerInput, origins: ReadonlyMap<string, string>): ScimError | null {
  const parsed = workerSchema.safeParse(record);
  if (parsed.success) return null;
  const [issue, ...more] = parsed.error.issues;
  const path = pathText(issue!.path);
  const problem = valueAt(record, issue!.path) === undefined ? 'is required' : displayText(issue!.message);
  const others = more.length === 0 ? '' : ` (and ${more.length} more problem${more.length === 1 ? '' : 's'})`;
  if (path === 'source')
    return { status: 500, scimType: null, attribute: null, detail: `the endpoint's source name: ${problem}` };
  const attribute = origins.get(path) ?? FIELD_ATTRIBUTES[path] ?? null;
  return badRequest('invalidValue', attribute, `${problem}${others}`);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) at = isObject(at) || Array.isArray(at) ? (at as Json)[String(key)] : undefined;
  return at;
}
