/**
 * Date functions: CDate, DateAdd, DateDiff, DateFromNum, FormatDateTime, Now, NumFromDate.
 *
 * Like Entra, date results are strings in `M/d/yyyy h:mm:ss tt` (UTC); date parameters
 * accept that form, ISO 8601 and the other shapes {@link parseDateTime} knows.
 */
import { formatEntraDate, formatTokens, tokenizeFormat, type FormatToken } from '../dotnet/date-format';
import { parseDateTime } from '../dotnet/date-parse';
import { parseExact } from '../dotnet/date-parse-exact';
import {
  addMilliseconds,
  addMonths,
  fromFileTime,
  MS_PER_DAY,
  toCivil,
  toFileTime,
  type DateTimeValue,
} from '../dotnet/date-time';
import { parseDateTimeStyles, type DateTimeStyles } from '../dotnet/date-time-styles';
import type { Runtime, Thunk } from '../runtime';
import { describeValue, type Value } from '../values';
import { arg, eager, type CallSite, type CompiledArgument, type FunctionDefinition } from './function-types';

function dateArgument(
  value: Value,
  site: CallSite,
  index: number,
  parameter: string,
  rt: Runtime,
): DateTimeValue | null {
  if (value === null) return null;
  if (typeof value !== 'string') {
    return site.fail(
      'type-mismatch',
      `${parameter} must be a date/time string, but it is ${describeValue(value)}.`,
      index,
    );
  }
  const parsed = parseDateTime(value, rt.nowMs());
  if (typeof parsed === 'string') return site.fail('invalid-date', `${parameter}: ${parsed}.`, index);
  return parsed;
}

type Interval = 'yyyy' | 'q' | 'm' | 'd' | 'w' | 'ww' | 'h' | 'n' | 's';

/** VB interval codes; Entra documents yyyy, m, d, ww, h, n, s, and VB also knows q, y and w. */
function intervalArgument(value: Value, site: CallSite): Interval {
  const text = site.text(value, 0, 'interval').trim().toLowerCase();
  switch (text) {
    case 'yyyy':
    case 'q':
    case 'm':
    case 'd':
    case 'w':
    case 'ww':
    case 'h':
    case 'n':
    case 's':
      return text;
    case 'y':
      return 'd';
    default:
      return site.fail(
        'invalid-argument',
        `interval must be one of "yyyy" (year), "q" (quarter), "m" (month), "d" (day), "ww" (week), "h" (hour), "n" (minute), "s" (second), but got "${text}".`,
        0,
      );
  }
}

function outOfRange(site: CallSite): never {
  return site.fail('invalid-date', 'the resulting date is outside the supported range (years 1–9999).');
}

const cDate = eager('CDate', 1, 1, '(expression)', (args, site, rt) => {
  const date = dateArgument(arg(args, 0), site, 0, 'expression', rt);
  return date === null ? null : formatEntraDate(date);
});

const dateAdd = eager('DateAdd', 3, 3, '(interval, value, dateTime)', (args, site, rt) => {
  const interval = intervalArgument(arg(args, 0), site);
  const amount = site.number(arg(args, 1), 1, 'value');
  const date = dateArgument(arg(args, 2), site, 2, 'dateTime', rt);
  if (amount === null || date === null) return null;
  // VB's DateAdd truncates the amount toward zero for every interval.
  const n = Math.trunc(amount);
  let result: DateTimeValue | null;
  switch (interval) {
    case 'yyyy':
      result = addMonths(date, n * 12);
      break;
    case 'q':
      result = addMonths(date, n * 3);
      break;
    case 'm':
      result = addMonths(date, n);
      break;
    case 'd':
    case 'w':
      result = addMilliseconds(date, n * MS_PER_DAY);
      break;
    case 'ww':
      result = addMilliseconds(date, n * 7 * MS_PER_DAY);
      break;
    case 'h':
      result = addMilliseconds(date, n * 3_600_000);
      break;
    case 'n':
      result = addMilliseconds(date, n * 60_000);
      break;
    case 's':
      result = addMilliseconds(date, n * 1000);
      break;
  }
  return result === null ? outOfRange(site) : formatEntraDate(result);
});

/** Elapsed ticks (100 ns) from a to b, exact within double precision for realistic spans. */
const elapsedTicks = (a: DateTimeValue, b: DateTimeValue): number => (b.ms - a.ms) * 10_000 + (b.subTicks - a.subTicks);

const dateDiff = eager('DateDiff', 3, 3, '(interval, date1, date2)', (args, site, rt) => {
  const interval = intervalArgument(arg(args, 0), site);
  const first = dateArgument(arg(args, 1), site, 1, 'date1', rt);
  const second = dateArgument(arg(args, 2), site, 2, 'date2', rt);
  if (first === null || second === null) return null;
  const ticks = elapsedTicks(first, second);
  const a = toCivil(first);
  const b = toCivil(second);
  // Mirrors VB.NET DateDiff: elapsed units truncated for d/h/n/s, calendar boundaries for m/q/yyyy,
  // and Sunday-based week boundaries for ww.
  switch (interval) {
    case 'yyyy':
      return b.year - a.year;
    case 'q':
      return (b.year - a.year) * 4 + (Math.floor((b.month - 1) / 3) - Math.floor((a.month - 1) / 3));
    case 'm':
      return (b.year - a.year) * 12 + (b.month - a.month);
    case 'd':
      return Math.trunc(ticks / (MS_PER_DAY * 10_000));
    case 'w':
      return Math.trunc(Math.trunc(ticks / (MS_PER_DAY * 10_000)) / 7);
    case 'ww': {
      const startOfWeek = (d: DateTimeValue, dayOfWeek: number): DateTimeValue => ({
        ms: d.ms - dayOfWeek * MS_PER_DAY,
        subTicks: d.subTicks,
        kind: d.kind,
      });
      const days = Math.trunc(
        elapsedTicks(startOfWeek(first, a.dayOfWeek), startOfWeek(second, b.dayOfWeek)) / (MS_PER_DAY * 10_000),
      );
      return Math.trunc(days / 7);
    }
    case 'h':
      return Math.trunc(ticks / 36_000_000_000);
    case 'n':
      return Math.trunc(ticks / 600_000_000);
    case 's':
      return Math.trunc(ticks / 10_000_000);
  }
});

const dateFromNum = eager('DateFromNum', 1, 1, '(value)', (args, site) => {
  const value = arg(args, 0);
  if (value === null) return null;
  let ticks: bigint;
  if (typeof value === 'number' && Number.isInteger(value)) ticks = BigInt(value);
  else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) ticks = BigInt(value.trim());
  else
    return site.fail(
      'type-mismatch',
      `value must be an AD date number (100-ns intervals since 1601), but it is ${typeof value === 'string' ? `"${value}"` : describeValue(value)}.`,
      0,
    );
  const date = fromFileTime(ticks);
  if (date === null) {
    const hint = ticks === 9_223_372_036_854_775_807n ? ' (it is AD\'s "never expires" value)' : '';
    return site.fail('invalid-argument', `${ticks} is not a date between 1601 and 9999${hint}.`, 0);
  }
  return formatEntraDate(date);
});

const numFromDate = eager('NumFromDate', 1, 1, '(value)', (args, site, rt) => {
  const date = dateArgument(arg(args, 0), site, 0, 'value', rt);
  if (date === null) return null;
  const ticks = toFileTime(date);
  if (ticks < 0n)
    return site.fail('invalid-date', 'dates before 1601-01-01 cannot be expressed as an AD date number.', 0);
  // Exact for second-precision dates until year ~3400; AD accountExpires values are whole seconds.
  return Number(ticks);
});

const now = eager('Now', 0, 0, '()', (_args, site, rt) => {
  const ms = rt.nowMs();
  if (!Number.isFinite(ms)) return site.fail('invalid-argument', 'the evaluation clock is not a valid date.');
  return formatEntraDate({ ms: Math.floor(ms), subTicks: 0, kind: 'utc' });
});

/** Tokenises a format once when it is a valid constant; otherwise on each evaluation. */
function formatResolver(
  argument: CompiledArgument | undefined,
  site: CallSite,
  index: number,
  parameter: string,
): (value: Value) => readonly FormatToken[] {
  const constant = argument?.constant;
  if (typeof constant === 'string' && constant !== '') {
    const tokens = tokenizeFormat(constant);
    if (typeof tokens !== 'string') return () => tokens;
  }
  return (value) => {
    const format = site.text(value, index, parameter);
    if (format === '') return site.fail('invalid-argument', `${parameter} must not be empty.`, index);
    const tokens = tokenizeFormat(format);
    if (typeof tokens === 'string') return site.fail('invalid-argument', `${parameter}: ${tokens}.`, index);
    return tokens;
  };
}

/**
 * FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat). The older documented
 * three-argument form (source, inputFormat, outputFormat) is accepted as well.
 */
const formatDateTime: FunctionDefinition = {
  name: 'FormatDateTime',
  minArgs: 3,
  maxArgs: 4,
  signature: '(source, dateTimeStyles, inputFormat, outputFormat)',
  compile(args, site) {
    const four = args.length === 4;
    const source = (args[0] as CompiledArgument).thunk;
    const stylesThunk: Thunk | undefined = four ? (args[1] as CompiledArgument).thunk : undefined;
    const inputIndex = four ? 2 : 1;
    const outputIndex = four ? 3 : 2;
    const input = (args[inputIndex] as CompiledArgument).thunk;
    const output = (args[outputIndex] as CompiledArgument).thunk;
    const inputTokens = formatResolver(args[inputIndex], site, inputIndex, 'inputFormat');
    const outputTokens = formatResolver(args[outputIndex], site, outputIndex, 'outputFormat');
    const stylesCache = new Map<string, DateTimeStyles | string>();
    return (rt) => {
      const value = site.string(source(rt), 0, 'source');
      const stylesText = stylesThunk === undefined ? null : site.string(stylesThunk(rt), 1, 'dateTimeStyles');
      const inFormat = inputTokens(input(rt));
      const outFormat = outputTokens(output(rt));
      if (value === null) return null;
      const key = stylesText ?? '';
      let styles = stylesCache.get(key);
      if (styles === undefined) {
        styles = parseDateTimeStyles(stylesText);
        // Bounded: styles normally come from a constant, but could come from data.
        if (stylesCache.size < 16) stylesCache.set(key, styles);
      }
      if (typeof styles === 'string') return site.fail('invalid-argument', `dateTimeStyles: ${styles}.`, 1);
      const parsed = parseExact(value, inFormat, styles, rt.nowMs());
      if (typeof parsed === 'string')
        return site.fail('invalid-date', `"${value}" does not match the input format: ${parsed}.`, 0);
      return formatTokens(parsed, outFormat);
    };
  },
};

export const DATE_FUNCTIONS: readonly FunctionDefinition[] = [
  cDate,
  dateAdd,
  dateDiff,
  dateFromNum,
  formatDateTime,
  now,
  numFromDate,
];
