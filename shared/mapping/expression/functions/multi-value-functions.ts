/**
 * Multi-valued attribute functions: Count, Item, RemoveDuplicates, Split.
 *
 * A single value behaves as a list of one, so mappings keep working when an HR system
 * sends one value where it could send several.
 */
import { describeValue } from '../values';
import { arg, eager, type FunctionDefinition } from './function-types';

const count = eager('Count', 1, 1, '(attribute)', (args) => {
  const value = arg(args, 0);
  if (value === null) return 0;
  return Array.isArray(value) ? value.length : 1;
});

const item = eager('Item', 2, 2, '(attribute, index)', (args, site) => {
  const value = arg(args, 0);
  const index = site.requiredInteger(arg(args, 1), 1, 'index');
  if (index < 1)
    return site.fail('invalid-argument', `index is 1-based (Item([attr], 1) is the first value), but got ${index}.`, 1);
  if (value === null) return null;
  if (Array.isArray(value)) return value[index - 1] ?? null;
  return index === 1 ? value : null;
});

const removeDuplicates = eager('RemoveDuplicates', 1, 1, '(attribute)', (args) => {
  const value = arg(args, 0);
  if (!Array.isArray(value)) return value;
  // Ordinal comparison: "SMTP:a@x" and "smtp:a@x" mean different things in proxyAddresses.
  return [...new Set(value)];
});

const split = eager('Split', 2, 2, '(source, delimiter)', (args, site) => {
  const value = arg(args, 0);
  if (Array.isArray(value))
    return site.fail('type-mismatch', `source must be a single string, but it is ${describeValue(value)}.`, 0);
  const text = site.string(value, 0, 'source');
  const delimiter = site.text(arg(args, 1), 1, 'delimiter');
  if (text === null) return null;
  // Entra's example splits "PermissionSetOne, PermissionSetTwo" on "," into two clean values,
  // so entries are trimmed; empty entries are dropped because AD rejects empty values.
  const parts = (delimiter === '' ? [text] : text.split(delimiter)).map((p) => p.trim()).filter((p) => p !== '');
  return parts.length === 0 ? null : parts;
});

export const MULTI_VALUE_FUNCTIONS: readonly FunctionDefinition[] = [count, item, removeDuplicates, split];
