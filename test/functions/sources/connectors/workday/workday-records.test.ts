/**
 * Workday worker elements → canonical records, as truth tables. Today is 2026-06-01.
 *
 * | Worker_Status_Data / Worker_Reference                 | employmentStatus | terminationDate | employeeType |
 * |--------------------------------------------------------|------------------|-----------------|--------------|
 * | Active=1, Regular                                      | active           | null            | employee     |
 * | Terminated=1, Termination_Date 2026-05-20              | terminated       | 2026-05-20      | employee     |
 * | Terminated=1, Last_Day_of_Work 2026-05-15, Date 05-20  | terminated       | 2026-05-15      | employee     |
 * | Hire_Rescinded=1                                       | rescinded        | null            | employee     |
 * | On_Leave=1                                             | on-leave         | null            | employee     |
 * | Contingent_Worker_ID                                   | active           | null            | contractor   |
 * | Employee_Type_ID Intern / Unknown_Type                 | active           | null            | intern / other |
 *
 * Effective dating: a later read (as of a future date) with other values → a `future` entry with only the
 * fields that differ; a later read with Terminated=1 → the scheduled terminationDate; a future hire's base
 * is its hire-date read. Malformed: a bad Hire_Date or a missing Last_Name → a row issue naming the field.
 */
import { workerSchema } from '../../../../../shared/worker/worker-schema';
import {
  DEFAULT_EMPLOYEE_TYPES,
  workerToRecord,
} from '../../../../../functions/sources/connectors/workday/workday-records';
import {
  parseXml,
  childrenOf,
  childOf,
  type XmlNode,
} from '../../../../../functions/sources/connectors/workday/workday-soap';

const ctx = { source: 'workday', today: '2026-06-01', employeeTypes: DEFAULT_EMPLOYEE_TYPES };

interface Spec {
  id?: string;
  status?: string;
  contingent?: boolean;
  type?: string;
  title?: string;
  last?: string;
  hire?: string;
  leave?: boolean;
}

function worker(spec: Spec = {}): XmlNode {
  const id = spec.id ?? '21008';
  const idType = spec.contingent ? 'Contingent_Worker_ID' : 'Employee_ID';
  const xml = `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>
  <wd:Get_Workers_Response xmlns:wd="urn:com.workday/bsvc"><wd:Response_Data><wd:Worker>
   <wd:Worker_Reference><wd:ID wd:type="WID">wid-${id}</wd:ID><wd:ID wd:type="${idType}">${id}</wd:ID></wd:Worker_Reference>
   <wd:Worker_Data><wd:Worker_ID>${id}</wd:Worker_ID><wd:User_ID>ava.nguyen</wd:User_ID>
    <wd:Personal_Data><wd:Name_Data><wd:Legal_Name_Data><wd:Name_Detail_Data>
      <wd:First_Name>Ava</wd:First_Name>${spec.last === '' ? '' : `<wd:Last_Name>${spec.last ?? 'Nguyen'}</wd:Last_Name>`}
    </wd:Name_Detail_Data></wd:Legal_Name_Data></wd:Name_Data>
    <wd:Contact_Data><wd:Email_Address_Data><wd:Email_Address>ava@contoso.com</wd:Email_Address><wd:Usage_Data><wd:Type_Data>
      <wd:Type_Reference><wd:ID wd:type="Communication_Usage_Type_ID">WORK</wd:ID></wd:Type_Reference></wd:Type_Data></wd:Usage_Data></wd:Email_Address_Data>
    </wd:Contact_Data></wd:Personal_Data>
    <wd:Employment_Data><wd:Worker_Job_Data wd:Primary_Job="1"><wd:Position_Data>
      <wd:Position_ID>P-1</wd:Position_ID><wd:Business_Title>${spec.title ?? 'Engineer'}</wd:Business_Title>
      <wd:Worker_Type_Reference><wd:ID wd:type="Employee_Type_ID">${spec.type ?? 'Regular'}</wd:ID></wd:Worker_Type_Reference>
      <wd:Business_Site_Summary_Data><wd:Name>Amsterdam</wd:Name></wd:Business_Site_Summary_Data>
    </wd:Position_Data></wd:Worker_Job_Data>
    <wd:Worker_Status_Data><wd:Hire_Date>${spec.hire ?? '2021-03-01-08:00'}</wd:Hire_Date>${spec.status ?? '<wd:Active>1</wd:Active>'}${spec.leave ? '<wd:Leave_Status_Data><wd:On_Leave>1</wd:On_Leave></wd:Leave_Status_Data>' : ''}</wd:Worker_Status_Data>
    </wd:Employment_Data>
    <wd:Organization_Data><wd:Worker_Organization_Data><wd:Organization_Data>
      <wd:Organization_Code>ENG</wd:Organization_Code><wd:Organization_Name>Engineering</wd:Organization_Name>
      <wd:Organization_Type_Reference><wd:ID wd:type="Organization_Type_ID">SUPERVISORY</wd:ID></wd:Organization_Type_Reference>
    </wd:Organization_Data></wd:Worker_Organization_Data></wd:Organization_Data>
   </wd:Worker_Data></wd:Worker></wd:Response_Data></wd:Get_Workers_Response></env:Body></env:Envelope>`;
  return childrenOf(childOf(parseXml(xml), 'Envelope', 'Body', 'Get_Workers_Response', 'Response_Data'), 'Worker')[0]!;
}

function recordOf(current: XmlNode, later: Map<string, XmlNode> = new Map()) {
  const outcome = workerToRecord(current, later, ctx);
  if (outcome.kind !== 'record') throw new Error(JSON.stringify(outcome.issue));
  expect(workerSchema.safeParse(outcome.record).error).toBeUndefined();
  return outcome.record;
}

describe('Workday records', () => {
  it.each([
    ['active regular', {}, 'active', null, 'employee'],
    [
      'terminated',
      { status: '<wd:Terminated>1</wd:Terminated><wd:Termination_Date>2026-05-20</wd:Termination_Date>' },
      'terminated',
      '2026-05-20',
      'employee',
    ],
    [
      'last day of work first',
      {
        status:
          '<wd:Terminated>1</wd:Terminated><wd:Termination_Date>2026-05-20</wd:Termination_Date><wd:Termination_Last_Day_of_Work>2026-05-15</wd:Termination_Last_Day_of_Work>',
      },
      'terminated',
      '2026-05-15',
      'employee',
    ],
    ['rescinded', { status: '<wd:Hire_Rescinded>1</wd:Hire_Rescinded>' }, 'rescinded', null, 'employee'],
    ['on leave', { leave: true }, 'on-leave', null, 'employee'],
    ['contingent', { contingent: true }, 'active', null, 'contractor'],
    ['intern', { type: 'Intern' }, 'active', null, 'intern'],
    ['unknown type', { type: 'Unknown_Type' }, 'active', null, 'other'],
  ] as const)('%s', (_name, spec: Spec, status, terminationDate, employeeType) => {
    expect(recordOf(worker(spec))).toMatchObject({ employmentStatus: status, terminationDate, employeeType });
  });

  it('maps the documented fields, keeps unknown ones as custom fields, and reads dates with offsets', () => {
    expect(recordOf(worker())).toMatchObject({
      source: 'workday',
      id: '21008',
      legalName: { first: 'Ava', last: 'Nguyen' },
      email: 'ava@contoso.com',
      title: 'Engineer',
      department: 'Engineering',
      location: 'Amsterdam',
      hireDate: '2021-03-01',
      customFields: { User_ID: 'ava.nguyen', Position_ID: 'P-1' },
      future: [],
    });
  });

  it('a later read with other values is a future entry with only what differs', () => {
    const record = recordOf(worker(), new Map([['2026-07-15', worker({ title: 'Lead' })]]));
    expect(record.future).toEqual([{ effectiveDate: '2026-07-15', changes: { title: 'Lead' } }]);
    expect(record.title).toBe('Engineer');
  });

  it('a later read showing Terminated=1 schedules the termination, the worker stays active', () => {
    const terminated = worker({
      status: '<wd:Terminated>1</wd:Terminated><wd:Termination_Date>2026-07-31</wd:Termination_Date>',
    });
    const record = recordOf(worker(), new Map([['2026-08-01', terminated]]));
    expect(record).toMatchObject({ employmentStatus: 'active', terminationDate: '2026-07-31', future: [] });
  });

  it('a future hire is delivered as of its hire date', () => {
    const record = recordOf(
      worker({ hire: '2026-07-01', title: 'Pending' }),
      new Map([['2026-07-01', worker({ hire: '2026-07-01', title: 'Rep' })]]),
    );
    expect(record).toMatchObject({ hireDate: '2026-07-01', title: 'Rep', future: [] });
  });

  it.each([
    [{ hire: 'soon' }, 'Employment_Data/Worker_Status_Data/Hire_Date'],
    [{ last: '' }, 'Personal_Data/Name_Data/Legal_Name_Data/Last_Name'],
  ])('a malformed worker %p is a row issue naming %s', (spec, field) => {
    const outcome = workerToRecord(worker(spec), new Map(), ctx);
    expect(outcome).toMatchObject({
      kind: 'issue',
      issue: { workerKey: 'workday:21008', field, location: 'worker 21008' },
    });
  });
});
