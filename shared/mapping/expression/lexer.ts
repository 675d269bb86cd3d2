/**
 * Tokeniser for the Entra attribute-mapping expression language.
 *
 * The lexer is deliberately forgiving about what it accepts inside strings and attribute
 * names (real mappings use names like `[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department]`)
 * and strict about everything else, so a typo is reported where it happens.
 */
import type { ComparisonOperator } from './ast';
import type { ParseErrorCode } from './errors';

export type Token =
  | { readonly kind: 'identifier'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'attribute'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: 'string'; readonly value: string; readonly start: number; readonly end: number }
  | {
      readonly kind: 'number';
      readonly value: number;
      readonly radix: 10 | 16;
      readonly start: number;
      readonly end: number;
    }
  | { readonly kind: 'operator'; readonly operator: ComparisonOperator; readonly start: number; readonly end: number }
  | { readonly kind: '(' | ')' | ',' | 'end'; readonly start: number; readonly end: number };

export interface LexError {
  readonly code: ParseErrorCode;
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export type LexResult =
  { readonly ok: true; readonly tokens: Token[] } | { readonly ok: false; readonly error: LexError };

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentifierStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentifierPart = (c: number): boolean => isIdentifierStart(c) || isDigit(c);
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
// Administrators paste expressions from documents, so non-breaking and other Unicode spaces count as blanks.
const isBlank = (c: number): boolean =>
  c === 32 ||
  c === 9 ||
  c === 10 ||
  c === 13 ||
  c === 0xa0 ||
  c === 0xfeff ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x3000;

/** Splits expression text into tokens, ending with an `end` token. */
export function tokenize(text: string): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  const fail = (code: ParseErrorCode, message: string, start: number, end: number): LexResult => ({
    ok: false,
    error: { code, message, start, end },
  });

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === 40 || c === 41 || c === 44) {
      tokens.push({ kind: c === 40 ? '(' : c === 41 ? ')' : ',', start, end: i + 1 });
      i++;
      continue;
    }
    if (c === 34) {
      // Entra escapes only backslash and quote; any other backslash is kept so that regex
      // patterns written with single backslashes (a common mistake) still mean what they say.
      let value = '';
      i++;
      let closed = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 && i + 1 < n) {
          const e = text.charCodeAt(i + 1);
          if (e === 34 || e === 92) {
            value += text[i + 1];
            i += 2;
            continue;
          }
          value += '\\';
          i++;
          continue;
        }
        if (d === 34) {
          closed = true;
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      if (!closed) return fail('unterminated-string', 'String constant is missing its closing double quote.', start, n);
      tokens.push({ kind: 'string', value, start, end: i });
      continue;
    }
    if (c === 91) {
      const close = text.indexOf(']', i + 1);
      const newline = text.indexOf('\n', i + 1);
      if (close < 0 || (newline >= 0 && newline < close)) {
        return fail(
          'unterminated-attribute',
          'Attribute reference is missing its closing "]".',
          start,
          newline >= 0 && (close < 0 || newline < close) ? newline : n,
        );
      }
      const name = text.slice(i + 1, close);
      if (name.trim() === '')
        return fail('empty-attribute', 'Attribute reference "[]" has no attribute name.', start, close + 1);
      tokens.push({ kind: 'attribute', name, start, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (c === 38 && (text[i + 1] === 'H' || text[i + 1] === 'h')) {
      let j = i + 2;
      while (j < n && isHexDigit(text.charCodeAt(j))) j++;
      if (j === i + 2) return fail('invalid-number', 'Hex constant "&H" needs at least one hex digit.', start, j);
      if (j < n && isIdentifierPart(text.charCodeAt(j)))
        return fail('invalid-number', 'Hex constant contains a character that is not a hex digit.', start, j + 1);
      const value = parseInt(text.slice(i + 2, j), 16);
      if (!Number.isSafeInteger(value)) return fail('invalid-number', 'Hex constant is too large.', start, j);
      tokens.push({ kind: 'number', value, radix: 16, start, end: j });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 45 && isDigit(text.charCodeAt(i + 1))) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      let j = c === 45 ? i + 1 : i;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
        j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      if (text.charCodeAt(j) === 101 || text.charCodeAt(j) === 69) {
        let k = j + 1;
        if (text.charCodeAt(k) === 43 || text.charCodeAt(k) === 45) k++;
        if (isDigit(text.charCodeAt(k))) {
          while (k < n && isDigit(text.charCodeAt(k))) k++;
          j = k;
        }
      }
      if (j < n && (isIdentifierPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) {
        return fail(
          'invalid-number',
          `Number "${text.slice(i, j + 1)}" is not a valid numeric constant.`,
          start,
          j + 1,
        );
      }
      const value = Number(text.slice(i, j));
      if (!Number.isFinite(value)) return fail('invalid-number', 'Numeric constant is out of range.', start, j);
      tokens.push({ kind: 'number', value, radix: 10, start, end: j });
      i = j;
      continue;
    }
    if (isIdentifierStart(c)) {
      let j = i + 1;
      while (j < n && isIdentifierPart(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'identifier', text: text.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    if (c === 61) {
      tokens.push({ kind: 'operator', operator: '=', start, end: i + 1 });
      i++;
      continue;
    }
    if (c === 60 || c === 62) {
      const next = text.charCodeAt(i + 1);
      let operator: ComparisonOperator;
      if (c === 60 && next === 62) operator = '<>';
      else if (next === 61) operator = c === 60 ? '<=' : '>=';
      else operator = c === 60 ? '<' : '>';
      tokens.push({ kind: 'operator', operator, start, end: i + operator.length });
      i += operator.length;
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    const ch = String.fromCodePoint(cp);
    const hint =
      ch === "'" || ch === '\u201c' || ch === '\u201d' ? ' String constants use straight double quotes (").' : '';
    return fail('unexpected-character', `Unexpected character "${ch}".${hint}`, start, start + ch.length);
  }
  tokens.push({ kind: 'end', start: n, end: n });
  return { ok: true, tokens };
}
