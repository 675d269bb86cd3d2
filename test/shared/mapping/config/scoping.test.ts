/**
 * Scoping-filter operators as Entra documents them: clauses within a filter are ANDed, filters are
 * ORed, and a null or empty attribute makes every clause false except IS NULL.
 */
import { compileFilters, type ScopingFilter } from '../../../../shared/mapping/config';

const worker = {
  Department: 'Sales',
  CostCenter: '1500',
  Active: true,
  Contractor: 'false',
  Email: 'ada@corp.example.test',
  Empty: '',
  Missing: null,
  Teams: ['a', 'b'],
};

const one = (attribute: string, operator: string, value?: string): ScopingFilter[] =>
  [{ clauses: [{ attribute, operator, ...(value === undefined ? {} : { value }) }] }] as ScopingFilter[];

type Row = [filter: string, filters: ScopingFilter[], admits: boolean];

const TABLE: Row[] = [
  ['no filters: everyone', [], true],
  ['EQUALS (case-sensitive)', one('Department', 'EQUALS', 'Sales'), true],
  ['EQUALS other case', one('Department', 'EQUALS', 'sales'), false],
  ['NOT EQUALS', one('Department', 'NOT EQUALS', 'Finance'), true],
  ['NOT EQUALS on null is false', one('Missing', 'NOT EQUALS', 'x'), false],
  ['IS TRUE (boolean)', one('Active', 'IS TRUE'), true],
  ['IS FALSE (text "false")', one('Contractor', 'IS FALSE'), true],
  ['IS NULL (empty string)', one('Empty', 'IS NULL'), true],
  ['IS NULL (absent attribute)', one('Nowhere', 'IS NULL'), true],
  ['IS NOT NULL', one('Department', 'IS NOT NULL'), true],
  ['REGEX MATCH (found anywhere)', one('Email', 'REGEX MATCH', '@corp\\.example\\.test$'), true],
  ['NOT REGEX MATCH', one('Email', 'NOT REGEX MATCH', '@contoso\\.com$'), true],
  ['NOT REGEX MATCH on null is false', one('Missing', 'NOT REGEX MATCH', 'x'), false],
  ['Greater_Than (integers)', one('CostCenter', 'Greater_Than', '1000'), true],
  ['Greater_Than_OR_EQUALS', one('CostCenter', 'Greater_Than_OR_EQUALS', '1500'), true],
  ['Less_Than', one('CostCenter', 'Less_Than', '1500'), false],
  ['Less_Than_OR_EQUALS', one('CostCenter', 'Less_Than_OR_EQUALS', '1500'), true],
  ['Greater_Than on a non-integer attribute is false', one('Department', 'Greater_Than', '1'), false],
  ['Includes (case-sensitive)', one('Email', 'Includes', 'corp.example'), true],
  ['ENDS_WITH', one('Email', 'ENDS_WITH', '.test'), true],
  ['& (value occurs in the clause text)', one('Department', '&', 'Sales,Support'), true],
  ['!& ', one('Department', '!&', 'Finance,Legal'), true],
  ['multi-valued attributes are not supported: false', one('Teams', 'EQUALS', 'a'), false],
  [
    'clauses are ANDed',
    [
      {
        clauses: [
          { attribute: 'Department', operator: 'EQUALS', value: 'Sales' },
          { attribute: 'Active', operator: 'IS FALSE' },
        ],
      },
    ] as ScopingFilter[],
    false,
  ],
  ['filters are ORed', [...one('Department', 'EQUALS', 'Finance'), ...one('Active', 'IS TRUE')], true],
];

describe('scoping filters', () => {
  it.each(TABLE)('%s', (_filter, filters, admits) => {
    const compiled = compileFilters(filters, 'scoping.filters');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    expect(compiled.value.admits(worker)).toBe(admits);
  });
});
