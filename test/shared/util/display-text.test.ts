/**
 * displayText: what is escaped and what is shown as it is.
 *
 * | input                           | shown                  | why                                  |
 * |---------------------------------|------------------------|--------------------------------------|
 * | line feed, CR, tab              | \n \r \t               | would break or shift a line          |
 * | other C0, DEL, C1 (NEL)         | \u0001 \u007F \u0085   | invisible; NEL breaks lines          |
 * | U+2028, U+2029                  | \u2028 \u2029          | line and paragraph separators        |
 * | bidi overrides, isolates, marks | \u202E \u2066 \u200F … | reorder what a line seems to say     |
 * | zero-width characters, BOM      | \u200B \u2060 \uFEFF   | make different values look the same  |
 * | lone surrogate                  | \uD800                 | not text                             |
 * | every script, emoji, ZWJ emoji  | as is                  | people's names must read as they are |
 */
import fc from 'fast-check';
import { displayLines, displayText } from '../../../shared/util/display-text';

const ESCAPED: [string, string][] = [
  ['a\nb', 'a\\nb'],
  ['a\rb', 'a\\rb'],
  ['a\tb', 'a\\tb'],
  ['a\u0000b\u0001', 'a\\u0000b\\u0001'],
  ['a\u007Fb', 'a\\u007Fb'],
  ['a\u0085b\u009F', 'a\\u0085b\\u009F'],
  ['a\u2028b\u2029', 'a\\u2028b\\u2029'],
  ['\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee', '\\u202Aa\\u202Bb\\u202Cc\\u202Dd\\u202Ee'],
  ['\u2066a\u2067b\u2068c\u2069', '\\u2066a\\u2067b\\u2068c\\u2069'],
  ['a\u200Eb\u200Fc\u061C', 'a\\u200Eb\\u200Fc\\u061C'],
  ['a\u200Bb\u200Cc\u200Dd\u2060e\uFEFF', 'a\\u200Bb\\u200Cc\\u200Dd\\u2060e\\uFEFF'],
  ['a\uD800b', 'a\\uD800b'],
];

const AS_IS = [
  'Zoë Ñúñez',
  '张伟',
  'مرحبا',
  'שלום',
  'Ελένη',
  'Сергей',
  'नमस्ते',
  '😀',
  '👩‍💻',
  '❤️‍🔥',
  'CN=Smith\\, Ann,OU=Users',
];

describe('displayText', () => {
  it.each(ESCAPED)('shows %j escaped', (input, shown) => {
    expect(displayText(input)).toBe(shown);
  });

  it.each(AS_IS)('shows %s as it is', (input) => {
    expect(displayText(input)).toBe(input);
  });

  it('never returns a line break or a bidi control, whatever the input', () => {
    let all = '';
    for (let c = 0; c < 0x3000; c++) all += String.fromCharCode(c);
    const shown = displayText(all + '\uFEFF');
    expect(shown).not.toMatch(/[\n\r\u0085\u2028\u2029\u202A-\u202E\u2066-\u2069\u200B-\u200F\u061C\uFEFF]/);
    expect(shown.split('\n')).toHaveLength(1);
  });
});

describe('displayLines', () => {
  it.each([
    [['a', 'b'], 'a\nb\n'],
    [['one\ntwo', 'three'], 'one\\ntwo\nthree\n'],
    [['', 'x\u202Ey'], '\nx\\u202Ey\n'],
    [['👩‍💻', 'ok'], '👩‍💻\nok\n'],
  ])('shows %j as %j', (lines, shown) => {
    expect(displayLines(lines)).toBe(shown);
  });

  it('is every line shown by displayText and ended, whatever the lines', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' })), (lines) => {
        expect(displayLines(lines)).toBe(lines.map((l) => `${displayText(l)}\n`).join(''));
      }),
    );
  });
});
