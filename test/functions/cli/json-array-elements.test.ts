/**
 * The element finder agrees with JSON.parse: every element of any JSON array, however it is spaced and
 * whatever its strings hold, is found whole, and the text of any range of them parses to those elements;
 * text that is not one JSON array is not split.
 */
import fc from 'fast-check';
import { arrayElements, elementsText } from '../../../functions/cli/json-array-elements';

/** JSON.stringify with a random indentation, so the spacing varies. */
const spaced = (value: unknown, indent: number) => JSON.stringify(value, null, indent);

describe('arrayElements', () => {
  it('finds every element of any JSON array, and any range parses to those elements', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.integer({ min: 0, max: 3 }), (items, indent) => {
        const text = spaced(items, indent);
        const elements = arrayElements(text)!;
        const parsed = JSON.parse(text) as unknown[];
        expect(elements.starts).toHaveLength(parsed.length);
        elements.starts.forEach((start, i) => {
          expect(JSON.parse(text.slice(start, elements.ends[i]))).toEqual(parsed[i]);
        });
        const half = Math.floor(parsed.length / 2);
        expect(JSON.parse(elementsText(text, elements, 0, half))).toEqual(parsed.slice(0, half));
        expect(JSON.parse(elementsText(text, elements, half, parsed.length))).toEqual(parsed.slice(half));
      }),
    );
  });

  it.each([
    ['strings holding brackets, quotes and escaped backslashes', '[{"a":"]\\"}\\\\"},"[,"]', 2],
    ['surrounding space and an empty object', ' \n[ {} ]\r\n', 1],
    ['an empty array', '[]', 0],
    ['scalars', '[1, -2.5e3, true, null, "x"]', 5],
  ])('%s', (_name, text, count) => {
    expect(arrayElements(text)?.starts).toHaveLength(count);
  });

  it.each([
    ['an object', '{"a": 1}'],
    ['two arrays', '[1] [2]'],
    ['a missing comma', '[{"a":1} {"b":2}]'],
    ['an unended string', '["abc]'],
    ['an unended array', '[{"a":1},'],
    ['a trailing comma', '[1,]'],
    ['nothing', ''],
  ])('does not split %s', (_name, text) => {
    expect(arrayElements(text)).toBeNull();
  });
});
