/** Truth tables for BitAnd, CBool, CStr, ConvertToBase64 and ConvertToUTF8Hex. */
import { err, expectOutcome, type Row } from './helpers';

const BIT_AND: Row[] = [
  ['BitAnd(&HF, &HF7)', {}, 7], // doc
  ['BitAnd(15, 247)', {}, 7],
  ['BitAnd([userAccountControl], 2)', { userAccountControl: '514' }, 2],
  ['BitAnd([userAccountControl], 2)', { userAccountControl: 512 }, 0],
  ['BitAnd(-1, 255)', {}, 255],
  ['BitAnd(0, 0)', {}, 0],
  ['BitAnd([missing], 1)', {}, null],
  ['BitAnd(1.5, 1)', {}, err('type-mismatch')],
  ['BitAnd("abc", 1)', {}, err('type-mismatch')],
  ['BitAnd([big], 1)', { big: '99999999999999999999' }, err('invalid-argument')],
  ['BitAnd([multi], 1)', { multi: ['1'] }, err('type-mismatch')],
  ['BitAnd(1)', {}, err('arity')],
];

const CBOOL: Row[] = [
  ['CBool([attribute1] = [attribute2])', { attribute1: 'x', attribute2: 'x' }, true], // doc
  ['CBool([attribute1] = [attribute2])', { attribute1: 'x', attribute2: 'y' }, false], // doc
  ['CBool(1)', {}, true],
  ['CBool(0)', {}, false],
  ['CBool(-2.5)', {}, true],
  ['CBool("True")', {}, true],
  ['CBool("false")', {}, false],
  ['CBool(" TRUE ")', {}, true],
  ['CBool("0")', {}, false],
  ['CBool("42")', {}, true],
  ['CBool(True)', {}, true],
  ['CBool([missing])', {}, false],
  ['CBool("yes")', {}, err('type-mismatch')],
  ['CBool([multi])', { multi: ['1'] }, err('type-mismatch')],
  ['CBool()', {}, err('arity')],
];

const CSTR: Row[] = [
  ['CStr([dn])', { dn: 'cn=Joe,dc=contoso,dc=com' }, 'cn=Joe,dc=contoso,dc=com'], // doc
  ['CStr(42)', {}, '42'],
  ['CStr(-1.25)', {}, '-1.25'],
  ['CStr([n])', { n: 132539615990000000 }, '132539615990000000'],
  ['CStr(True)', {}, 'True'],
  ['CStr(IsNull([x]))', {}, 'True'],
  ['CStr([missing])', {}, null],
  ['CStr("Zoë")', {}, 'Zoë'],
  ['CStr([multi])', { multi: ['a', 'b'] }, err('type-mismatch')],
  ['CStr(1, 2)', {}, err('arity')],
];

const BASE64: Row[] = [
  ['ConvertToBase64("Hello world!")', {}, 'SABlAGwAbABvACAAdwBvAHIAbABkACEA'], // doc: UTF-16LE bytes
  ['ConvertToBase64("")', {}, ''],
  ['ConvertToBase64("a")', {}, 'YQA='],
  ['ConvertToBase64("é")', {}, '6QA='],
  ['ConvertToBase64("😀")', {}, 'PdgA3g=='],
  ['ConvertToBase64(12)', {}, 'MQAyAA=='],
  ['ConvertToBase64([missing])', {}, null],
  ['ConvertToBase64([multi])', { multi: ['a'] }, err('type-mismatch')],
  ['ConvertToBase64()', {}, err('arity')],
];

const UTF8_HEX: Row[] = [
  ['ConvertToUTF8Hex("Hello world!")', {}, '48656C6C6F20776F726C6421'], // doc
  ['ConvertToUTF8Hex("")', {}, ''],
  ['ConvertToUTF8Hex("é")', {}, 'C3A9'],
  ['ConvertToUTF8Hex("€")', {}, 'E282AC'],
  ['ConvertToUTF8Hex("😀")', {}, 'F09F9880'],
  ['ConvertToUTF8Hex([lone])', { lone: '\ud800' }, 'EFBFBD'],
  // The doc's objectId example (its printed output is for a different input).
  [
    'Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))',
    { objectId: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee' },
    '100030306161303061612626231312636332322646433332343465653434656534346565',
  ],
  ['ConvertToUTF8Hex([missing])', {}, null],
  ['ConvertToUTF8Hex("a", "b")', {}, err('arity')],
];

describe.each([
  ['BitAnd', BIT_AND],
  ['CBool', CBOOL],
  ['CStr', CSTR],
  ['ConvertToBase64', BASE64],
  ['ConvertToUTF8Hex', UTF8_HEX],
])('%s', (_name, table) => {
  it.each(table)('%s with %j', (expression, attributes, expected) => {
    expectOutcome(expression, attributes, expected);
  });
});
