/**
 * Where the elements of a JSON array lie in its text, found without parsing them, so that each planning
 * thread parses only its share of a large snapshot. Only the top level is checked here (brackets,
 * commas, nothing after the array); what lies inside an element is left to `JSON.parse`, which reads
 * every share. Text this cannot split gives null: the caller parses it whole, for the error.
 */

/** Element i is the text [starts[i], ends[i]). */
export interface ArrayElements {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** The position after the string that opens at `at` (a quote), or -1 when it does not end. */
function skipString(text: string, at: number): number {
  for (let i = at + 1; ;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** The position after the object or array that opens at `at`, or -1. */
function skipNested(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(text, i) - 1;
      if (i < 0) return -1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i + 1;
  }
  return -1;
}

/** The position after a number, `true`, `false` or `null` (checked by JSON.parse later). */
function skipScalar(text: string, at: number): number {
  let i = at;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === CLOSE_BRACKET || isSpace(c)) break;
    i++;
  }
  return i === at ? -1 : i;
}

function skipValue(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c === QUOTE) return skipString(text, at);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) return skipNested(text, at);
  return skipScalar(text, at);
}

export function arrayElements(text: string): ArrayElements | null {
  const starts: number[] = [];
  const ends: number[] = [];
  let at = skipSpace(text, 0);
  if (text.charCodeAt(at) !== OPEN_BRACKET) return null;
  at = skipSpace(text, at + 1);
  if (text.charCodeAt(at) === CLOSE_BRACKET) return skipSpace(text, at + 1) === text.length ? { starts, ends } : null;
  for (;;) {
    const end = skipValue(text, at);
    if (end < 0) return null;
    starts.push(at);
    ends.push(end);
    at = skipSpace(text, end);
    const c = text.charCodeAt(at);
    if (c === CLOSE_BRACKET) return skipSpace(text, at + 1) === text.length ? { starts, ends } : null;
    if (c !== COMMA) return null;
    at = skipSpace(text, at + 1);
  }
}

/** Elements [first, end) as the text of a JSON array. */
export function elementsText(text: string, elements: ArrayElements, first: number, end: number): string {
  if (first >= end) return '[]';
  return `[${text.slice(elements.starts[first], elements.ends[end - 1])}]`;
}
