/**
 * Replace(source, oldValue, regexPattern, regexGroupName, replacementValue,
 *         replacementAttributeName, template)
 *
 * One function with five documented behaviours, chosen by which parameters are written
 * (left empty = not given; "" is given):
 *   1. oldValue + replacementValue:  every oldValue in source becomes replacementValue.
 *   2. oldValue + template:          every oldValue in template becomes source.
 *   3. regexPattern + replacementValue: regex replace; replacementValue may use ${group}, $1…
 *   4. regexPattern + regexGroupName + replacementValue: only the named group's text in each
 *      match is replaced.
 *   5. regexPattern + regexGroupName + replacementAttributeName: source if it has a value,
 *      otherwise the named group extracted from the replacement attribute's value.
 * The behaviour is fixed by the text of the mapping, not by the data, so a parameter that
 * evaluates to null (a missing attribute) cannot switch behaviours. Matching is case-sensitive.
 */
import { compileDotNetRegex, expandReplacement, forEachMatch, groupNames, matchInfo } from '../dotnet/regex';
import type { Runtime, Thunk } from '../runtime';
import type { Value } from '../values';
import type { CallSite, CompiledArgument, FunctionDefinition } from './function-types';

const SOURCE = 0;
const OLD_VALUE = 1;
const PATTERN = 2;
const GROUP = 3;
const REPLACEMENT = 4;
const ATTRIBUTE = 5;
const TEMPLATE = 6;

function replaceGroup(source: string, regex: RegExp, group: string, replacement: string): string {
  let out = '';
  let last = 0;
  forEachMatch(regex, source, (m) => {
    const span = m.indices?.groups?.[group];
    if (span === undefined) return;
    out += source.slice(last, span[0]) + replacement;
    last = span[1];
  });
  return out + source.slice(last);
}

function replaceRegex(source: string, regex: RegExp, template: string): string {
  // Without "$" the template is literal in both .NET and JavaScript: let the engine do it.
  if (!template.includes('$')) return source.replace(regex, template);
  let out = '';
  let last = 0;
  forEachMatch(regex, source, (m) => {
    out += source.slice(last, m.index) + expandReplacement(template, matchInfo(m, source));
    last = m.index + m[0].length;
  });
  return out + source.slice(last);
}

function extractGroup(input: string, regex: RegExp, group: string): string | null {
  let extracted: string | null = null;
  forEachMatch(regex, input, (m) => {
    const text = m.groups?.[group];
    if (extracted === null && text !== undefined) extracted = text;
  });
  return extracted;
}

type Mode = 'text' | 'template' | 'regex' | 'regex-group' | 'regex-extract';

function chooseMode(given: (i: number) => boolean, site: CallSite): Mode {
  if (given(OLD_VALUE) && given(PATTERN))
    return site.fail('invalid-argument', 'give either oldValue or regexPattern, not both.', PATTERN);
  if (given(OLD_VALUE)) {
    if (given(TEMPLATE)) return 'template';
    if (given(REPLACEMENT)) return 'text';
    return site.fail(
      'invalid-argument',
      'with oldValue, also give replacementValue (5th argument) or template (7th argument).',
      OLD_VALUE,
    );
  }
  if (given(PATTERN)) {
    if (given(GROUP) && given(ATTRIBUTE) && !given(REPLACEMENT)) return 'regex-extract';
    if (given(REPLACEMENT)) return given(GROUP) ? 'regex-group' : 'regex';
    return site.fail(
      'invalid-argument',
      'with regexPattern, also give replacementValue (5th argument), or regexGroupName with replacementAttributeName (6th argument).',
      PATTERN,
    );
  }
  return site.fail(
    'invalid-argument',
    'give oldValue (2nd argument) or regexPattern (3rd argument) to say what to replace.',
  );
}

export const replace: FunctionDefinition = {
  name: 'Replace',
  minArgs: 2,
  maxArgs: 7,
  signature: '(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template)',
  compile(args, site) {
    const given = (i: number): boolean => {
      const a = args[i];
      return a !== undefined && a.node.type !== 'omitted';
    };
    const mode = chooseMode(given, site);
    const thunk = (i: number): Thunk => args[i]?.thunk ?? (() => null);
    const text = (rt: Runtime, i: number, name: string): string | null => site.string(thunk(i)(rt), i, name);

    // A constant pattern is compiled now, so a typo in it is reported even if no worker reaches it.
    const withIndices = mode === 'regex-group';
    // A pattern read from the worker is compiled once per distinct text at this call site.
    const patterns = new Map<string, RegExp | string>();
    const resolveRegex = (pattern: string): RegExp => {
      let compiled = patterns.get(pattern);
      if (compiled === undefined) {
        compiled = compileDotNetRegex(pattern, withIndices);
        if (patterns.size < 256) patterns.set(pattern, compiled);
      }
      if (typeof compiled === 'string') return site.fail('invalid-regex', `regexPattern: ${compiled}.`, PATTERN);
      return compiled;
    };
    const checkGroup = (regex: RegExp, group: string): void => {
      if (!groupNames(regex).has(group))
        site.fail(
          'invalid-argument',
          `regexPattern has no group named "${group}" (write it as (?<${group}>…)).`,
          GROUP,
        );
    };
    const constantOf = (i: number): Value | undefined => (args[i] as CompiledArgument | undefined)?.constant;
    const constantPattern = constantOf(PATTERN);
    const fixedRegex = typeof constantPattern === 'string' ? resolveRegex(constantPattern) : undefined;
    const constantGroup = constantOf(GROUP);
    if (
      fixedRegex !== undefined &&
      typeof constantGroup === 'string' &&
      (mode === 'regex-group' || mode === 'regex-extract')
    ) {
      checkGroup(fixedRegex, constantGroup);
    }
    const regexAt = (rt: Runtime): RegExp | null => {
      if (fixedRegex !== undefined) return fixedRegex;
      const pattern = text(rt, PATTERN, 'regexPattern');
      return pattern === null ? null : resolveRegex(pattern);
    };

    switch (mode) {
      case 'text':
        return (rt) => {
          const source = text(rt, SOURCE, 'source');
          const oldValue = text(rt, OLD_VALUE, 'oldValue');
          const replacement = text(rt, REPLACEMENT, 'replacementValue') ?? '';
          if (source === null || oldValue === null || oldValue === '') return source;
          return source.split(oldValue).join(replacement);
        };
      case 'template':
        return (rt) => {
          const source = text(rt, SOURCE, 'source');
          const oldValue = text(rt, OLD_VALUE, 'oldValue');
          const template = text(rt, TEMPLATE, 'template');
          if (source === null || template === null) return null;
          if (oldValue === null || oldValue === '') return template;
          return template.split(oldValue).join(source);
        };
      case 'regex':
        return (rt) => {
          const source = text(rt, SOURCE, 'source');
          const regex = regexAt(rt);
          const replacement = text(rt, REPLACEMENT, 'replacementValue') ?? '';
          if (source === null || regex === null) return source;
          return replaceRegex(source, regex, replacement);
        };
      case 'regex-group':
        return (rt) => {
          const source = text(rt, SOURCE, 'source');
          const regex = regexAt(rt);
          const group = text(rt, GROUP, 'regexGroupName');
          const replacement = text(rt, REPLACEMENT, 'replacementValue') ?? '';
          if (source === null || regex === null) return source;
          if (group === null) return replaceRegex(source, regex, replacement);
          checkGroup(regex, group);
          return replaceGroup(source, regex, group, replacement);
        };
      case 'regex-extract':
        return (rt) => {
          const source = text(rt, SOURCE, 'source');
          if (source !== null && source !== '') return source;
          const regex = regexAt(rt);
          const group = text(rt, GROUP, 'regexGroupName');
          const input = text(rt, ATTRIBUTE, 'replacementAttributeName');
          if (regex === null || group === null || input === null) return null;
          checkGroup(regex, group);
          return extractGroup(input, regex, group);
        };
    }
  },
};

export const REPLACE_FUNCTIONS: readonly FunctionDefinition[] = [replace];
