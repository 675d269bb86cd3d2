/**
 * .NET regular expressions on top of JavaScript's engine, for Replace's regex form.
 *
 * The pattern syntax Entra users write (character classes, `(?<name>...)` groups, `\d`,
 * anchors) is shared by both engines. Differences we bridge: .NET's replacement syntax
 * (`${name}`, `$1`, `$$`, `$&`, `` $` ``, `$'`, `$+`, `$_`) and `(?'name'...)` groups. Callers compile
 * a pattern once per expression (Replace compiles a constant pattern when the expression is compiled).
 */

/**
 * Compiles a .NET pattern into a global JavaScript RegExp (with group offsets when asked), or
 * returns the reason it is invalid. Unicode mode is tried first so that `\p{L}` means what it means in .NET.
 */
export function compileDotNetRegex(pattern: string, withIndices = false): RegExp | string {
  const source = pattern.replace(/\(\?'([A-Za-z_][A-Za-z0-9_]*)'/g, '(?<$1>');
  let compiled: RegExp | string;
  try {
    compiled = new RegExp(source, withIndices ? 'dgu' : 'gu');
  } catch {
    try {
      compiled = new RegExp(source, withIndices ? 'dg' : 'g');
    } catch (error) {
      compiled = `invalid regular expression ${JSON.stringify(pattern)}: ${error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error)}`;
    }
  }
  return compiled;
}

/** Names of the named groups a compiled pattern defines. */
export function groupNames(regex: RegExp): ReadonlySet<string> {
  // An empty alternative always matches "", and the match lists every named group.
  const probe = new RegExp(`${regex.source}|`, regex.flags.replace(/[gd]/g, '')).exec('');
  return new Set(Object.keys(probe?.groups ?? {}));
}

/** One regex match, as .NET's replacement engine sees it. */
export interface MatchInfo {
  readonly match: string;
  readonly index: number;
  readonly groups: readonly (string | undefined)[];
  readonly named: Readonly<Record<string, string | undefined>> | undefined;
  readonly input: string;
}

/** Expands a .NET replacement template for one match. Unknown references stay literal, as in .NET. */
export function expandReplacement(template: string, m: MatchInfo): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i] as string;
    if (ch !== '$' || i + 1 >= template.length) {
      out += ch;
      i++;
      continue;
    }
    const next = template[i + 1] as string;
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '&') {
      out += m.match;
      i += 2;
    } else if (next === '`') {
      out += m.input.slice(0, m.index);
      i += 2;
    } else if (next === "'") {
      out += m.input.slice(m.index + m.match.length);
      i += 2;
    } else if (next === '_') {
      out += m.input;
      i += 2;
    } else if (next === '+') {
      out += m.groups[m.groups.length - 1] ?? '';
      i += 2;
    } else if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const name = close < 0 ? '' : template.slice(i + 2, close);
      if (/^\d+$/.test(name) && Number(name) <= m.groups.length) {
        out += Number(name) === 0 ? m.match : (m.groups[Number(name) - 1] ?? '');
        i = close + 1;
      } else if (name !== '' && m.named !== undefined && Object.prototype.hasOwnProperty.call(m.named, name)) {
        out += m.named[name] ?? '';
        i = close + 1;
      } else {
        out += ch;
        i++;
      }
    } else if (next >= '0' && next <= '9') {
      // .NET takes the longest digit run that names an existing group.
      let j = i + 1;
      while (j < template.length && (template[j] as string) >= '0' && (template[j] as string) <= '9') j++;
      let taken = false;
      for (let k = j; k > i + 1; k--) {
        const number = Number(template.slice(i + 1, k));
        if (number <= m.groups.length) {
          out += number === 0 ? m.match : (m.groups[number - 1] ?? '');
          i = k;
          taken = true;
          break;
        }
      }
      if (!taken) {
        out += ch;
        i++;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Calls `visit` for each non-overlapping match, advancing past empty matches like .NET does. */
export function forEachMatch(regex: RegExp, input: string, visit: (m: RegExpExecArray) => void): void {
  regex.lastIndex = 0;
  for (;;) {
    const m = regex.exec(input);
    if (m === null) break;
    visit(m);
    if (m[0] === '') {
      const code = input.codePointAt(regex.lastIndex);
      regex.lastIndex += regex.unicode && code !== undefined && code > 0xffff ? 2 : 1;
      if (regex.lastIndex > input.length) break;
    }
  }
  regex.lastIndex = 0;
}

export function matchInfo(m: RegExpExecArray, input: string): MatchInfo {
  return { match: m[0], index: m.index, groups: m.slice(1), named: m.groups, input };
}
