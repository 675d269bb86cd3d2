/**
 * Truth table for Replace, covering each documented behaviour. In expression text a regex
 * backslash is written "\\" (Entra's string escaping), so `\\d` below is the regex `\d`.
 */
import { err, expectOutcome, type Row } from './helpers';

const REPLACE: Row[] = [
  // 1. oldValue + replacementValue
  [
    'Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )',
    { BusinessTitle: 'Product Developer' },
    'Software Engineer',
  ], // doc
  ['Replace([mail], "@contoso.com", , ,"", ,)', { mail: 'john.doe@contoso.com' }, 'john.doe'], // doc
  ['Replace("a-b-c", "-", , , "+", , )', {}, 'a+b+c'],
  ['Replace("AbA", "a", , , "x", , )', {}, 'AbA'], // case-sensitive
  ['Replace("a.b", ".", , , "$&", , )', {}, 'a$&b'], // plain text: no regex or $ handling
  ['Replace([missing], "a", , , "b", , )', {}, null],
  ['Replace("abc", [missing], , , "x", , )', {}, 'abc'],
  ['Replace("Zoë", "ë", , , "e", , )', {}, 'Zoe'],
  ['Replace("abc", "", , , "x", , )', {}, 'abc'],
  // 2. oldValue + template
  ['Replace([UserID],"<username>", , , , , "<username>@contoso.com")', { UserID: 'jsmith' }, 'jsmith@contoso.com'], // doc
  ['Replace([UserID],"<u>", , , , , "<u>.<u>")', { UserID: 'x' }, 'x.x'],
  ['Replace([missing],"<u>", , , , , "<u>@contoso.com")', {}, null],
  // 3. regexPattern + replacementValue
  [
    'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )',
    { telephoneNumber: '+91 9998887777' },
    '9998887777',
  ], // doc
  // The doc prints 19998887777, but its pattern does not remove "+"; .NET gives +19998887777.
  ['Replace([mobile], , "[()\\\\s-]+", , "", , )', { mobile: '+1 (999) 888-7777' }, '+19998887777'],
  ['Replace([mailNickname], , "[a-zA-Z_]*", , "", , )', { mailNickname: 'john_doe72' }, '72'], // doc
  ['Replace("2024-05-01", , "(\\\\d+)-(\\\\d+)-(\\\\d+)", , "$3/$2/$1", , )', {}, '01/05/2024'],
  ['Replace("ab", , "b", , "$$", , )', {}, 'a$'],
  ['Replace("ab", , "b", , "[$&]", , )', {}, 'a[b]'],
  ['Replace("ab", , "b", , "${nope}", , )', {}, 'a${nope}'], // unknown group stays literal, as in .NET
  ['Replace("Zoë Ørsted", , "\\\\p{Lu}", , "_", , )', {}, '_oë _rsted'],
  ['Replace("x", , "", , "-", , )', {}, '-x-'],
  ['Replace([missing], , "a", , "b", , )', {}, null],
  // 4. regexPattern + regexGroupName + replacementValue
  [
    'Replace([AddressLineData], ,"(?<streetNumber>^\\\\d*)","streetNumber", "888", , )',
    { AddressLineData: '545 Tremont Street' },
    '888 Tremont Street',
  ], // doc
  [
    'Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )',
    { userPrincipalName: 'jsmith@contoso.com' },
    'jsmith',
  ], // doc
  ['Replace("a1b22", , "[a-z](?<n>\\\\d+)", "n", "#", , )', {}, 'a#b#'],
  ['Replace("abc", , "(?<x>b)", "missingGroup", "#", , )', {}, err('invalid-argument')],
  // 5. regexPattern + regexGroupName + replacementAttributeName
  [
    'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )',
    { telephoneNumber: '', mobile: '+91 8887779999' },
    '8887779999',
  ], // doc
  [
    'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )',
    { mobile: '+91 8887779999' },
    '8887779999',
  ],
  [
    'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )',
    { telephoneNumber: '+1 5551234567', mobile: '+91 8887779999' },
    '+1 5551234567',
  ],
  [
    'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )',
    { mobile: 'none' },
    null,
  ],
  [
    'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )',
    {},
    null,
  ],
  // Misuse
  ['Replace("abc", "a", "b", , "x", , )', {}, err('invalid-argument')],
  ['Replace("abc", "a", , , , , )', {}, err('invalid-argument')],
  ['Replace("abc", , "a", , , , )', {}, err('invalid-argument')],
  ['Replace("abc", , , , "x", , )', {}, err('invalid-argument')],
  ['Replace("abc", , "(unclosed", , "x", , )', {}, err('invalid-regex')],
  ['Replace("abc", , [pattern], , "x", , )', { pattern: '[z-a]' }, err('invalid-regex')],
  ['Replace([multi], "a", , , "b", , )', { multi: ['a', 'b'] }, err('type-mismatch')],
  ['Replace("abc")', {}, err('arity')],
  ['Replace("a", "b", , , "c", , , "extra")', {}, err('arity')],
];

describe('Replace', () => {
  it.each(REPLACE)('%s with %j', (expression, attributes, expected) => {
    expectOutcome(expression, attributes, expected);
  });
});
