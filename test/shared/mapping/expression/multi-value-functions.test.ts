/** Truth tables for Count, Item, RemoveDuplicates and Split. */
import { err, expectOutcome, type Row } from './helpers';

const proxyAddresses = ['SMTP:john@contoso.com', 'smtp:jd@contoso.com', 'smtp:john.doe@contoso.com'];

const COUNT: Row[] = [
  ['Count([proxyAddresses])', { proxyAddresses }, 3],
  ['Count([single])', { single: 'x' }, 1],
  ['Count([missing])', {}, 0],
  ['Count([empty])', { empty: [] }, 0],
  ['Count(Split("a,b,c", ","))', {}, 3],
  ['Count()', {}, err('arity')],
];

const ITEM: Row[] = [
  ['Item([proxyAddresses], 1)', { proxyAddresses }, 'SMTP:john@contoso.com'], // doc: 1 is the first item
  ['Item([proxyAddresses], 3)', { proxyAddresses }, 'smtp:john.doe@contoso.com'],
  ['Item([proxyAddresses], "2")', { proxyAddresses }, 'smtp:jd@contoso.com'],
  ['Item([proxyAddresses], 4)', { proxyAddresses }, null],
  ['Item([proxyAddresses], 0)', { proxyAddresses }, err('invalid-argument')], // doc: index 0 is not used
  ['Item([single], 1)', { single: 'Zoë' }, 'Zoë'],
  ['Item([single], 2)', { single: 'Zoë' }, null],
  ['Item([missing], 1)', {}, null],
  ['Item([proxyAddresses], "first")', { proxyAddresses }, err('type-mismatch')],
  ['Item([proxyAddresses])', { proxyAddresses }, err('arity')],
];

const REMOVE_DUPLICATES: Row[] = [
  [
    'RemoveDuplicates([proxyAddresses])',
    { proxyAddresses: ['smtp:a@x', 'SMTP:a@x', 'smtp:a@x', 'smtp:b@x'] },
    ['smtp:a@x', 'SMTP:a@x', 'smtp:b@x'],
  ],
  ['RemoveDuplicates([proxyAddresses])', { proxyAddresses }, proxyAddresses],
  ['RemoveDuplicates(Split("b,a,b,é,é", ","))', {}, ['b', 'a', 'é']],
  ['RemoveDuplicates([single])', { single: 'x' }, 'x'],
  ['RemoveDuplicates([missing])', {}, null],
  ['RemoveDuplicates()', {}, err('arity')],
];

const SPLIT: Row[] = [
  [
    'Split([extensionAttribute5], ",")',
    { extensionAttribute5: 'PermissionSetOne, PermissionSetTwo' },
    ['PermissionSetOne', 'PermissionSetTwo'],
  ], // doc
  ['Split("a;;b;", ";")', {}, ['a', 'b']],
  ['Split("a--b", "--")', {}, ['a', 'b']],
  ['Split("a,b", "")', {}, ['a,b']],
  ['Split("Zoë|Ørsted", "|")', {}, ['Zoë', 'Ørsted']],
  ['Split("", ",")', {}, null],
  ['Split([missing], ",")', {}, null],
  ['Split([multi], ",")', { multi: ['a,b'] }, err('type-mismatch')],
  ['Split("a,b")', {}, err('arity')],
];

describe.each([
  ['Count', COUNT],
  ['Item', ITEM],
  ['RemoveDuplicates', REMOVE_DUPLICATES],
  ['Split', SPLIT],
])('%s', (_name, table) => {
  it.each(table)('%s with %j', (expression, attributes, expected) => {
    expectOutcome(expression, attributes, expected);
  });
});
