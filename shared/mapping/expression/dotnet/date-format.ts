/**
 * .NET custom and standard date/time format strings, for formatting and exact parsing.
 *
 * Administrators copy format strings such as `yyyyMMddHHmmss.fZ` or `M/d/yyyy hh:mm:ss tt`
 * from Entra's documentation, so the specifier rules follow .NET's custom date and time
 * format strings. Culture is fixed: invariant for names and separators, and en-US patterns
 * for single-letter standard formats because Entra's own output (`M/d/yyyy h:mm:ss tt`) is
 * en-US's general pattern.
 */
import { DAY_NAMES, MONTH_NAMES, toCivil, type DateTimeValue } from './date-time';

/** A run of one specifier letter (e.g. `yyyy`) or a literal piece of text. */
export type FormatToken =
  | { readonly type: 'field'; readonly letter: FieldLetter; readonly count: number }
  | { readonly type: 'literal'; readonly text: string };

export type FieldLetter = 'd' | 'f' | 'F' | 'g' | 'h' | 'H' | 'K' | 'm' | 'M' | 's' | 't' | 'y' | 'z';

const FIELD_LETTERS = new Set<string>(['d', 'f', 'F', 'g', 'h', 'H', 'K', 'm', 'M', 's', 't', 'y', 'z']);

/** en-US patterns behind .NET's single-letter standard format strings. */
const STANDARD_FORMATS: Readonly<Record<string, string>> = {
  d: 'M/d/yyyy',
  D: 'dddd, MMMM d, yyyy',
  f: 'dddd, MMMM d, yyyy h:mm tt',
  F: 'dddd, MMMM d, yyyy h:mm:ss tt',
  g: 'M/d/yyyy h:mm tt',
  G: 'M/d/yyyy h:mm:ss tt',
  m: 'MMMM d',
  M: 'MMMM d',
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'h:mm tt',
  T: 'h:mm:ss tt',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  U: 'dddd, MMMM d, yyyy h:mm:ss tt',
  y: 'MMMM yyyy',
  Y: 'MMMM yyyy',
};

/** The pattern Entra uses for every date it returns (CDate, DateAdd, Now, DateFromNum). */
export const ENTRA_DATE_PATTERN = 'M/d/yyyy h:mm:ss tt';

/**
 * Splits a format string into tokens; returns an error message for formats .NET rejects.
 * A one-character format is a standard format (e.g. `d`, `o`) and is expanded first.
 */
export function tokenizeFormat(format: string): FormatToken[] | string {
  let pattern = format;
  if (format.length === 1) {
    const standard = STANDARD_FORMATS[format];
    if (standard === undefined)
      return `"${format}" is not a standard date format; use % before a single custom specifier (e.g. "%d")`;
    pattern = standard;
  }
  const tokens: FormatToken[] = [];
  const pushLiteral = (text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last !== undefined && last.type === 'literal')
      tokens[tokens.length - 1] = { type: 'literal', text: last.text + text };
    else tokens.push({ type: 'literal', text });
  };
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (FIELD_LETTERS.has(ch)) {
      let j = i + 1;
      while (j < pattern.length && pattern[j] === ch) j++;
      const count = j - i;
      if ((ch === 'f' || ch === 'F') && count > 7)
        return `"${ch.repeat(count)}": at most 7 fraction digits are allowed`;
      tokens.push({ type: 'field', letter: ch as FieldLetter, count });
      i = j;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let text = '';
      while (j < pattern.length && pattern[j] !== ch) {
        if (pattern[j] === '\\' && j + 1 < pattern.length) j++;
        text += pattern[j];
        j++;
      }
      if (j >= pattern.length) return `the quoted literal starting at position ${i + 1} is not closed`;
      pushLiteral(text);
      i = j + 1;
      continue;
    }
    if (ch === '%') {
      const next = pattern[i + 1];
      if (next === undefined || next === '%') return 'a "%" must be followed by a format specifier';
      i++;
      continue;
    }
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return 'the format ends with an unfinished "\\" escape';
      pushLiteral(next);
      i += 2;
      continue;
    }
    pushLiteral(ch);
    i++;
  }
  return tokens;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

function formatOffset(count: number): string {
  // Entra's service runs in UTC, so the local offset .NET would print is always zero.
  if (count === 1) return '+0';
  if (count === 2) return '+00';
  return '+00:00';
}

/** Formats a date with already-tokenised .NET format tokens. */
export function formatTokens(dt: DateTimeValue, tokens: readonly FormatToken[]): string {
  const c = toCivil(dt);
  let out = '';
  for (const token of tokens) {
    if (token.type === 'literal') {
      out += token.text;
      continue;
    }
    const n = token.count;
    switch (token.letter) {
      case 'd':
        out +=
          n === 1
            ? String(c.day)
            : n === 2
              ? pad(c.day, 2)
              : n === 3
                ? (DAY_NAMES[c.dayOfWeek] as string).slice(0, 3)
                : (DAY_NAMES[c.dayOfWeek] as string);
        break;
      case 'f':
        out += pad(c.fractionTicks, 7).slice(0, n);
        break;
      case 'F': {
        const digits = pad(c.fractionTicks, 7).slice(0, n).replace(/0+$/, '');
        // .NET drops the decimal point too when an all-zero F fraction prints nothing.
        if (digits === '' && out.endsWith('.')) out = out.slice(0, -1);
        out += digits;
        break;
      }
      case 'g':
        out += 'A.D.';
        break;
      case 'h': {
        const h12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
        out += n === 1 ? String(h12) : pad(h12, 2);
        break;
      }
      case 'H':
        out += n === 1 ? String(c.hour) : pad(c.hour, 2);
        break;
      case 'K':
        out += dt.kind === 'utc' ? 'Z' : dt.kind === 'local' ? '+00:00' : '';
        break;
      case 'm':
        out += n === 1 ? String(c.minute) : pad(c.minute, 2);
        break;
      case 'M':
        out +=
          n === 1
            ? String(c.month)
            : n === 2
              ? pad(c.month, 2)
              : n === 3
                ? (MONTH_NAMES[c.month - 1] as string).slice(0, 3)
                : (MONTH_NAMES[c.month - 1] as string);
        break;
      case 's':
        out += n === 1 ? String(c.second) : pad(c.second, 2);
        break;
      case 't':
        out += n === 1 ? (c.hour < 12 ? 'A' : 'P') : c.hour < 12 ? 'AM' : 'PM';
        break;
      case 'y':
        out += n === 1 ? String(c.year % 100) : n === 2 ? pad(c.year % 100, 2) : pad(c.year, n);
        break;
      case 'z':
        out += formatOffset(n);
        break;
    }
  }
  return out;
}

const entraTokens = tokenizeFormat(ENTRA_DATE_PATTERN) as FormatToken[];

/** Renders a date the way Entra returns dates: `M/d/yyyy h:mm:ss tt`, in UTC. */
export function formatEntraDate(dt: DateTimeValue): string {
  return formatTokens(dt, entraTokens);
}
