/**
 * Truth tables for the text functions. Rows marked "doc" are the examples from Microsoft's
 * "Reference for writing expressions for attribute mappings in Microsoft Entra ID".
 */
import { err, expectOutcome, type Row } from './helpers';

const john = { givenName: 'John', surname: 'Doe', PreferredFirstName: 'John', PreferredLastName: 'Smith' };

const APPEND: Row[] = [
  ['Append([userPrincipalName], ".test")', { userPrincipalName: 'John.Doe@contoso.com' }, 'John.Doe@contoso.com.test'], // doc
  ['Append([missing], ".test")', {}, '.test'],
  ['Append("abc", [missing])', {}, 'abc'],
  ['Append([a], [b])', {}, null],
  ['Append("", "")', {}, ''],
  ['Append("Zoë", "🙂")', {}, 'Zoë🙂'],
  ['Append(12, True)', {}, '12True'],
  ['Append([multi], "x")', { multi: ['a', 'b'] }, err('type-mismatch')],
  ['Append("a")', {}, err('arity')],
  ['Append("a", "b", "c")', {}, err('arity')],
];

const JOIN: Row[] = [
  ['Join(", ", "", [surname], [givenName])', john, 'Doe, John'], // doc
  ['Join(".", [givenName], [surname])', john, 'John.Doe'],
  ['Join(";", [proxy])', { proxy: ['smtp:a@x', 'smtp:b@x', 'SMTP:c@x'] }, 'smtp:a@x;smtp:b@x;SMTP:c@x'],
  ['Join(";", "first", [proxy], "last")', { proxy: ['a', '', 'b'] }, 'first;a;b;last'],
  ['Join([noSeparator], "a", "b")', {}, 'ab'],
  ['Join(",", [x], [y])', {}, ''],
  ['Join("", 1000, "x")', {}, '1000x'],
  ['Join("-", True, False, 1.5)', {}, 'True-False-1.5'],
  ['Join("·", "Zoë", "Ørsted", "東京")', {}, 'Zoë·Ørsted·東京'],
  ['Join([multi], "a", "b")', { multi: ['x', 'y'] }, err('type-mismatch')],
  ['Join(",")', {}, err('arity')],
  ['Join()', {}, err('arity')],
];

const LEFT: Row[] = [
  ['Left("John Doe", 3)', {}, 'Joh'], // doc
  ['Left("John Doe", 0)', {}, ''], // doc: numChars = 0 gives the empty string
  ['Left("John Doe", -1)', {}, 'John Doe'], // doc: numChars < 0 gives the input
  ['Left([missing], 3)', {}, ''], // doc: null string gives the empty string
  ['Left("Jo", 5)', {}, 'Jo'], // doc: fewer characters gives the whole string
  ['Left([n], "2")', { n: 'abc' }, 'ab'],
  ['Left("😀abc", 1)', {}, '😀'],
  ['Left("Ærø", 2)', {}, 'Ær'],
  ['Left("abc", "x")', {}, err('type-mismatch')],
  ['Left("abc", 1.5)', {}, err('type-mismatch')],
  ['Left("abc", [missing])', {}, err('invalid-argument')],
  ['Left([multi], 1)', { multi: ['a', 'b'] }, err('type-mismatch')],
  ['Left("abc")', {}, err('arity')],
];

const MID: Row[] = [
  ['Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))', john, 'JohDoe'], // doc
  ['Mid("abcdef", 3, 2)', {}, 'cd'],
  ['Mid("abc", 2, 10)', {}, 'bc'], // doc: length past the end stops at the end
  ['Mid("abc", 5, 1)', {}, ''],
  ['Mid("abc", 1, 0)', {}, ''],
  ['Mid([missing], 1, 1)', {}, null],
  ['Mid("a😀b", 2, 1)', {}, '😀'],
  ['Mid("Łódź", 2, 2)', {}, 'ód'],
  ['Mid("abc", 0, 1)', {}, err('invalid-argument')],
  ['Mid("abc", 1, -1)', {}, err('invalid-argument')],
  ['Mid("abc", "one", 1)', {}, err('type-mismatch')],
  ['Mid("abc", 1)', {}, err('arity')],
];

const INSTR: Row[] = [
  ['InStr("The quick brown fox","quick")', {}, 5], // doc
  ['InStr("repEated","e",3,vbBinaryCompare)', {}, 7], // doc
  ['InStr("repEated","e",3,vbTextCompare)', {}, 4],
  ['InStr("repEated","E",1,1)', {}, 2],
  ['InStr("abc","z")', {}, 0],
  ['InStr("abc","")', {}, 1],
  ['InStr("abc","c",4)', {}, 0],
  ['InStr([missing],"a")', {}, 0],
  ['InStr("Zoë Ørsted","Ø")', {}, 5],
  ['InStr("abc","a",0)', {}, err('invalid-argument')],
  ['InStr("a","a",1,"fuzzy")', {}, err('invalid-argument')],
  ['InStr("abc")', {}, err('arity')],
];

const STRIP_SPACES: Row[] = [
  ['StripSpaces("John  Smith ")', {}, 'JohnSmith'],
  ['StripSpaces([v])', { v: 'a\tb c' }, 'a\tbc'],
  ['StripSpaces([v])', { v: 'a\u00a0b' }, 'a\u00a0b'],
  ['StripSpaces("   ")', {}, ''],
  ['StripSpaces([missing])', {}, null],
  ['StripSpaces(" Zoë ")', {}, 'Zoë'],
  ['StripSpaces("a", "b")', {}, err('arity')],
];

const NORMALIZE_DIACRITICS: Row[] = [
  ['NormalizeDiacritics([givenName])', { givenName: 'Zoë' }, 'Zoe'], // doc
  ['NormalizeDiacritics("Ångström")', {}, 'Angstrom'],
  ['NormalizeDiacritics("Æsir Søren Weiß")', {}, 'AEsir Soeren Weiss'],
  ['NormalizeDiacritics("Łukasz Żółć")', {}, 'Lukasz Zolc'],
  ['NormalizeDiacritics("İstanbul ıi")', {}, 'Istanbul ii'],
  ['NormalizeDiacritics("Dvořák Šťastný Čapek")', {}, 'Dvorak Stastny Capek'],
  ['NormalizeDiacritics("ǟ Ḗ ṻ")', {}, 'a E u'],
  ['NormalizeDiacritics([v])', { v: 'Jose\u0301' }, 'Jose'],
  ['NormalizeDiacritics([v])', { v: 'a\u0304\u0301' }, 'a'],
  ['NormalizeDiacritics("Дмитрий नमस्ते 東京")', {}, 'Дмитрий नमस्ते 東京'],
  ['NormalizeDiacritics("plain ASCII 123")', {}, 'plain ASCII 123'],
  ['NormalizeDiacritics([missing])', {}, null],
  ['NormalizeDiacritics([multi])', { multi: ['é'] }, err('type-mismatch')],
  ['NormalizeDiacritics()', {}, err('arity')],
];

const PCASE: Row[] = [
  ['PCase([firstName])', { firstName: 'PABLO GONSALVES (SECOND)' }, 'Pablo Gonsalves (Second)'], // doc
  ['PCase([lastName]," \'-")', { lastName: "PINTO-DE'SILVA" }, "Pinto-De'Silva"], // doc
  ['PCase(Join(" ",[firstName],[lastName]))', { firstName: 'GREGORY', lastName: 'JAMES' }, 'Gregory James'], // doc
  ['PCase("o\'neil")', {}, "O'neil"], // .NET ToTitleCase keeps apostrophes inside words
  ['PCase("3rd street")', {}, '3Rd Street'], // .NET ToTitleCase quirk: digits do not start words
  ['PCase("jean-luc picard")', {}, 'Jean-Luc Picard'],
  ['PCase("ÉLODIE ÅSTRÖM")', {}, 'Élodie Åström'],
  ['PCase("a_b")', {}, 'A_B'],
  ['PCase("mary-jane", "")', {}, 'Mary-Jane'],
  ['PCase("mary-jane watson", " ")', {}, 'Mary-jane Watson'],
  ['PCase([missing])', {}, null],
  ['PCase([multi])', { multi: ['a'] }, err('type-mismatch')],
  ['PCase()', {}, err('arity')],
];

const CASE: Row[] = [
  [
    'ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))',
    john,
    'john.smith@contoso.com',
  ], // doc
  ['ToUpper("straße")', {}, 'STRAßE'], // .NET maps one character to one character
  ['ToUpper("éa")', {}, 'ÉA'],
  ['ToLower("İ")', {}, 'i'],
  ['ToLower("ÀÉÎ")', {}, 'àéî'],
  ['ToUpper("istanbul", "tr-TR")', {}, 'İSTANBUL'],
  ['ToLower("ISTANBUL", "tr-TR")', {}, 'ıstanbul'],
  ['ToLower("ABC", "")', {}, 'abc'],
  ['ToLower("a", "not a culture!")', {}, err('invalid-argument')],
  ['ToLower([missing])', {}, null],
  ['ToUpper(12)', {}, '12'],
  ['ToUpper()', {}, err('arity')],
  ['ToLower("a", "en-US", "x")', {}, err('arity')],
];

const WORD: Row[] = [
  ['Word("The quick brown fox",3," ")', {}, 'brown'], // doc
  ['Word("This,string!has&many separators",3,",!&#")', {}, 'has'], // doc
  ['Word("This,string!has&many separators",4,",!&#")', {}, 'many separators'],
  ['Word("a b", 0, " ")', {}, ''], // doc: number < 1
  ['Word("a b", 3, " ")', {}, ''], // doc: fewer words
  ['Word([missing], 1, " ")', {}, ''], // doc: null string
  ['Word("a,,b", 2, ",")', {}, 'b'],
  ['Word("a b", 1, "")', {}, 'a b'],
  ['Word("Zoë Ørsted", 2, " ")', {}, 'Ørsted'],
  ['Word("a b", "x", " ")', {}, err('type-mismatch')],
  ['Word("a b", 1)', {}, err('arity')],
];

describe.each([
  ['Append', APPEND],
  ['Join', JOIN],
  ['Left', LEFT],
  ['Mid', MID],
  ['InStr', INSTR],
  ['StripSpaces', STRIP_SPACES],
  ['NormalizeDiacritics', NORMALIZE_DIACRITICS],
  ['PCase', PCASE],
  ['ToLower / ToUpper', CASE],
  ['Word', WORD],
])('%s', (_name, table) => {
  it.each(table)('%s with %j', (expression, attributes, expected) => {
    expectOutcome(expression, attributes, expected);
  });
});
