/**
 * Type conversions and encodings: BitAnd, CBool, CStr, ConvertToBase64, ConvertToUTF8Hex.
 */
import { base64, hexUpper, utf16LeBytes, utf8Bytes } from '../dotnet/text';
import { describeValue, scalarToString, type Value } from '../values';
import { arg, eager, type CallSite, type FunctionDefinition } from './function-types';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function toInt64(value: Value, site: CallSite, index: number, parameter: string): bigint | null {
  if (value === null) return null;
  let result: bigint | null = null;
  if (typeof value === 'number' && Number.isInteger(value)) result = BigInt(value);
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) result = BigInt(value.trim());
  if (result === null) {
    return site.fail(
      'type-mismatch',
      `${parameter} must be a whole number, but it is ${typeof value === 'string' ? `"${value}"` : describeValue(value)}.`,
      index,
    );
  }
  if (result < INT64_MIN || result > INT64_MAX)
    return site.fail('invalid-argument', `${parameter} does not fit in a 64-bit integer.`, index);
  return result;
}

const bitAnd = eager('BitAnd', 2, 2, '(value1, value2)', (args, site) => {
  const a = toInt64(arg(args, 0), site, 0, 'value1');
  const b = toInt64(arg(args, 1), site, 1, 'value2');
  if (a === null || b === null) return null;
  return Number(a & b);
});

/**
 * Reads a value as a boolean the way Entra's CBool/IIF do: booleans as they are, "True" /
 * "False" in any case, and numbers (or numeric strings) as non-zero. Null is false.
 */
export function toBoolean(value: Value, site: CallSite, index: number, parameter: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === null) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return Number(text) !== 0;
    return site.fail('type-mismatch', `${parameter} must be True, False or a number, but got "${value}".`, index);
  }
  return site.fail('type-mismatch', `${parameter} must be a single value, but it is ${describeValue(value)}.`, index);
}

const cBool = eager('CBool', 1, 1, '(expression)', (args, site) => toBoolean(arg(args, 0), site, 0, 'expression'));

const cStr = eager('CStr', 1, 1, '(value)', (args, site) => {
  const value = arg(args, 0);
  if (Array.isArray(value))
    return site.fail('type-mismatch', `value must be a single value, but it is ${describeValue(value)}.`, 0);
  return scalarToString(value as string | number | boolean | null);
});

const convertToBase64 = eager('ConvertToBase64', 1, 1, '(source)', (args, site) => {
  const text = site.string(arg(args, 0), 0, 'source');
  // Entra encodes the UTF-16LE bytes (.NET Encoding.Unicode): "Hello world!" gives "SABlAGwA…".
  return text === null ? null : base64(utf16LeBytes(text));
});

const convertToUtf8Hex = eager('ConvertToUTF8Hex', 1, 1, '(source)', (args, site) => {
  const text = site.string(arg(args, 0), 0, 'source');
  return text === null ? null : hexUpper(utf8Bytes(text));
});

export const CONVERSION_FUNCTIONS: readonly FunctionDefinition[] = [
  bitAnd,
  cBool,
  cStr,
  convertToBase64,
  convertToUtf8Hex,
];
