/**
 * Route templates in the Functions host's (ASP.NET Core) syntax: literal segments, `{id}`, optional
 * `{id?}`, defaults `{id=1}`, catch-all `{*rest}` and inline constraints `{id:int}`, `{name:alpha:maxlength(8)}`.
 * Matching is case-insensitive for literals, as the host's router is.
 */

/** One parsed segment. */
export type RouteSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | {
      readonly kind: 'parameter';
      readonly name: string;
      readonly optional: boolean;
      readonly catchAll: boolean;
      readonly defaultValue?: string;
      readonly constraints: readonly string[];
    };

/** A parsed template. */
export interface RouteTemplate {
  readonly template: string;
  readonly segments: readonly RouteSegment[];
}

/** Splits `int:maxlength(3)` on colons outside parentheses (a `regex(…)` may contain colons). */
function splitConstraints(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function parseParameter(body: string, template: string): RouteSegment {
  const catchAll = body.startsWith('*');
  let rest = body.replace(/^\*+/, '');
  let defaultValue: string | undefined;
  const eq = rest.lastIndexOf('=');
  if (eq >= 0 && !rest.slice(eq).includes(')')) {
    defaultValue = rest.slice(eq + 1);
    rest = rest.slice(0, eq);
  }
  const optional = rest.endsWith('?');
  if (optional) rest = rest.slice(0, -1);
  const [name, ...constraints] = splitConstraints(rest);
  if (!name || !/^[A-Za-z_][\w]*$/.test(name)) throw new Error(`invalid route parameter in ${template}`);
  return { kind: 'parameter', name, optional: optional || catchAll, catchAll, defaultValue, constraints };
}

/** Parses a template such as `provision/{id:int}/{*rest}`. */
export function parseRouteTemplate(template: string): RouteTemplate {
  const trimmed = template.replace(/^\/+|\/+$/g, '');
  const segments = trimmed === '' ? [] : trimmed.split('/');
  return {
    template,
    segments: segments.map((segment): RouteSegment => {
      const param = /^\{(.+)\}$/.exec(segment);
      if (param?.[1] !== undefined) return parseParameter(param[1], template);
      if (segment.includes('{') || segment.includes('}')) {
        throw new Error(`route ${template}: parameters must be whole segments`);
      }
      return { kind: 'literal', text: segment };
    }),
  };
}

const SIMPLE: Readonly<Record<string, (v: string) => boolean>> = {
  int: (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31,
  long: (v) => /^-?\d+$/.test(v),
  bool: (v) => /^(true|false)$/i.test(v),
  alpha: (v) => /^[a-z]+$/i.test(v),
  guid: (v) => /^\{?[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}\}?$/i.test(v),
  double: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  float: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  decimal: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  datetime: (v) => !Number.isNaN(Date.parse(v)),
};

/** Whether a value satisfies one inline constraint; unknown constraints are accepted (parsed only). */
export function satisfies(constraint: string, value: string): boolean {
  const call = /^(\w+)\((.*)\)$/.exec(constraint);
  if (!call) return SIMPLE[constraint.toLowerCase()]?.(value) ?? true;
  const [, fn = '', arg = ''] = call;
  const nums = arg.split(',').map(Number);
  const [a = NaN, b = NaN] = nums;
  switch (fn.toLowerCase()) {
    case 'min':
      return Number(value) >= a;
    case 'max':
      return Number(value) <= a;
    case 'range':
      return Number(value) >= a && Number(value) <= b;
    case 'minlength':
      return value.length >= a;
    case 'maxlength':
      return value.length <= a;
    case 'length':
      return nums.length === 1 ? value.length === a : value.length >= a && value.length <= b;
    case 'regex':
      // Braces in route templates are doubled (`{{2}}`) so they cannot close the parameter.
      return new RegExp(arg.replaceAll('{{', '{').replaceAll('}}', '}'), 'i').test(value);
    default:
      return true;
  }
}

/** Matches a path (no query, no prefix) against a template; the route parameters, or null. */
export function matchRoute(route: RouteTemplate, path: string): Record<string, string> | null {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  const parts = trimmed === '' ? [] : trimmed.split('/');
  const params: Record<string, string> = {};
  let i = 0;
  for (const segment of route.segments) {
    if (segment.kind === 'literal') {
      if (parts[i]?.toLowerCase() !== segment.text.toLowerCase()) return null;
      i += 1;
      continue;
    }
    const raw = segment.catchAll ? parts.slice(i).join('/') : parts[i];
    i = segment.catchAll ? parts.length : i + 1;
    if (raw === undefined || raw === '') {
      if (!segment.optional && segment.defaultValue === undefined) return null;
      if (segment.defaultValue !== undefined) params[segment.name] = segment.defaultValue;
      continue;
    }
    const value = safeDecode(raw);
    if (value === null || !segment.constraints.every((c) => satisfies(c, value))) return null;
    params[segment.name] = value;
  }
  return i >= parts.length ? params : null;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
