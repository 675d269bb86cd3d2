/**
 * The part of SuccessFactors' Employee Central OData v2 model the fake serves: each entity set's
 * properties and navigation properties, with SAP's names (SAP HCM OData API reference, Employee Central
 * entities). `$select`, `$expand`, `$filter` and `$orderby` paths are checked against it.
 */
export interface EntityModel {
  readonly name: string;
  readonly properties: ReadonlySet<string>;
  readonly navigation: Readonly<Record<string, { readonly entity: string; readonly many: boolean }>>;
}

const audit = ['createdDateTime', 'lastModifiedDateTime'];
const one = (entity: string) => ({ entity, many: false });
const many = (entity: string) => ({ entity, many: true });
const foundationObject = (name: string): EntityModel => ({
  name,
  properties: new Set(['externalCode', 'name', 'description', 'status', 'startDate', 'endDate', ...audit]),
  navigation: {},
});

const MODELS: EntityModel[] = [
  {
    name: 'PerPerson',
    properties: new Set(['personIdExternal', 'personId', 'perPersonUuid', 'dateOfBirth', ...audit]),
    navigation: {
      personalInfoNav: many('PerPersonal'),
      emailNav: many('PerEmail'),
      phoneNav: many('PerPhone'),
      employmentNav: many('EmpEmployment'),
      personEmpTerminationInfoNav: one('PersonEmpTerminationInfo'),
    },
  },
  {
    name: 'PerPersonal',
    properties: new Set([
      'personIdExternal',
      'startDate',
      'endDate',
      'firstName',
      'lastName',
      'middleName',
      'preferredName',
      'displayName',
      'gender',
      ...audit,
    ]),
    navigation: {},
  },
  {
    name: 'PerEmail',
    properties: new Set(['personIdExternal', 'emailType', 'emailAddress', 'isPrimary', ...audit]),
    navigation: {},
  },
  {
    name: 'PerPhone',
    properties: new Set([
      'personIdExternal',
      'phoneType',
      'countryCode',
      'areaCode',
      'phoneNumber',
      'extension',
      'isPrimary',
      ...audit,
    ]),
    navigation: {},
  },
  {
    name: 'EmpEmployment',
    properties: new Set([
      'personIdExternal',
      'userId',
      'startDate',
      'endDate',
      'originalStartDate',
      'isContingentWorker',
      ...audit,
    ]),
    navigation: { jobInfoNav: many('EmpJob'), userNav: one('User'), personNav: one('PerPerson') },
  },
  {
    name: 'EmpJob',
    properties: new Set([
      'userId',
      'seqNumber',
      'startDate',
      'endDate',
      'jobTitle',
      'department',
      'division',
      'company',
      'location',
      'costCenter',
      'businessUnit',
      'managerId',
      'emplStatus',
      'employeeClass',
      'employmentType',
      'eventReason',
      ...audit,
    ]),
    navigation: {
      departmentNav: one('FODepartment'),
      locationNav: one('FOLocation'),
      costCenterNav: one('FOCostCenter'),
      companyNav: one('FOCompany'),
      emplStatusNav: one('PicklistOption'),
      employeeClassNav: one('PicklistOption'),
      managerUserNav: one('User'),
      userNav: one('User'),
    },
  },
  {
    name: 'User',
    properties: new Set([
      'userId',
      'username',
      'status',
      'email',
      'firstName',
      'lastName',
      ...Array.from({ length: 15 }, (_, i) => `custom${String(i + 1).padStart(2, '0')}`),
      'lastModifiedDateTime',
    ]),
    navigation: { empInfo: one('EmpEmployment'), manager: one('User') },
  },
  {
    name: 'PersonEmpTerminationInfo',
    properties: new Set(['personIdExternal', 'activeEmploymentsCount', 'latestTerminationDate']),
    navigation: {},
  },
  foundationObject('FODepartment'),
  foundationObject('FOLocation'),
  foundationObject('FOCostCenter'),
  foundationObject('FOCompany'),
  { name: 'PicklistOption', properties: new Set(['id', 'externalCode', 'status']), navigation: {} },
];

export const ENTITY_MODEL: Readonly<Record<string, EntityModel>> = Object.fromEntries(MODELS.map((m) => [m.name, m]));

export function entityOf(name: string): EntityModel | undefined {
  return Object.hasOwn(ENTITY_MODEL, name) ? ENTITY_MODEL[name] : undefined;
}
