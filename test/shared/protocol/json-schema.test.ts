import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODE_NAMES } from '../../../shared/protocol';
import {
  SCHEMA_DIR,
  checkSchemas,
  publishedJsonSchemas,
  renderSchemas,
  writeSchemas,
} from '../../../scripts/export-schemas';
import { validInputs } from './fixtures';

// ---------------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------------

const COMMAND_FILE = 'directory-command.v1.schema.json';
const RESULT_FILE = 'command-result.v1.schema.json';

/** [file, the kinds its variants must cover, fields every variant requires] */
const UNIONS: ReadonlyArray<readonly [string, readonly string[], readonly string[]]> = [
  [
    COMMAND_FILE,
    ['UpsertAccount', 'DisableAccount', 'EnableAccount', 'DeleteAccount', 'LookupAccount'],
    ['kind', 'protocol', 'commandId', 'workerKey', 'sequence', 'issuedAt', 'expiresAt', 'match'],
  ],
  [RESULT_FILE, ['Applied', 'NoChange', 'Failed', 'LookedUp'], ['kind', 'commandId', 'workerKey', 'sequence']],
];

/** [kind, property path inside the command variant, expected default] — defaults are documented in the input schema. */
const DEFAULTS: ReadonlyArray<readonly [string, readonly string[], unknown]> = [
  ['UpsertAccount', ['password', 'length'], 20],
  ['UpsertAccount', ['password', 'mustChangeAtNextLogon'], true],
  ['LookupAccount', ['attributes'], []],
];

// ---------------------------------------------------------------------------------------------------
// A few helpers to read schemas by hand (no validator dependency)
// ---------------------------------------------------------------------------------------------------

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function committed(file: string): Schema {
  const parsed: unknown = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8'));
  if (!isSchema(parsed)) throw new Error(`${file} is not a JSON object`);
  return parsed;
}

function variantsOf(schema: Schema): Schema[] {
  const variants = schema.oneOf ?? schema.anyOf;
  if (!Array.isArray(variants)) throw new Error('no oneOf/anyOf');
  return variants.filter(isSchema);
}

function properties(schema: Schema): Schema {
  return isSchema(schema.properties) ? schema.properties : {};
}

function kindOf(variant: Schema): unknown {
  const kind = properties(variant).kind;
  return isSchema(kind) ? kind.const : undefined;
}

function variantFor(schema: Schema, kind: string): Schema {
  const variant = variantsOf(schema).find((v) => kindOf(v) === kind);
  if (!variant) throw new Error(`no variant for ${kind}`);
  return variant;
}

/** Every object schema with named properties, anywhere in `schema`, with its JSON pointer. */
function objectSchemas(schema: unknown, pointer = '#'): Array<[string, Schema]> {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => objectSchemas(s, `${pointer}/${i}`));
  if (!isSchema(schema)) return [];
  const own: Array<[string, Schema]> =
    schema.type === 'object' && isSchema(schema.properties) ? [[pointer, schema]] : [];
  return [...own, ...Object.entries(schema).flatMap(([key, value]) => objectSchemas(value, `${pointer}/${key}`))];
}

/** Checks an instance against an object schema's shape: required present, nothing undeclared, consts equal. Returns problems. */
function shapeProblems(schema: Schema, instance: Record<string, unknown>, at = ''): string[] {
  const props = properties(schema);
  const problems: string[] = [];
  for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
    if (!(name in instance)) problems.push(`${at}${name}: required`);
  }
  for (const [name, value] of Object.entries(instance)) {
    const prop = props[name];
    if (!isSchema(prop)) {
      if (schema.additionalProperties === false) problems.push(`${at}${name}: not allowed`);
      continue;
    }
    if ('const' in prop && prop.const !== value) problems.push(`${at}${name}: expected ${JSON.stringify(prop.const)}`);
    if (prop.type === 'object' && isSchema(value) && isSchema(prop.properties))
      problems.push(...shapeProblems(prop, value, `${at}${name}.`));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe('committed schemas/', () => {
  const schemas = Object.entries(publishedJsonSchemas());

  it('holds exactly the schemas publishedJsonSchemas() produces', () => {
    const files = readdirSync(SCHEMA_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(schemas.map(([name]) => name).sort());
  });

  it.each(schemas)('%s equals what publishedJsonSchemas() produces now, byte for byte', (name, schema) => {
    const text = readFileSync(join(SCHEMA_DIR, name), 'utf8');
    expect(JSON.parse(text)).toEqual(schema);
    expect(text).toBe(`${JSON.stringify(schema, null, 2)}\n`);
  });

  it('the export script finds nothing to change', () => {
    expect(checkSchemas()).toEqual([]);
  });
});

describe('schema shape', () => {
  it.each([COMMAND_FILE, RESULT_FILE])('%s is a draft 2020-12 schema with its own $id', (file) => {
    const schema = committed(file);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`https://hr2ad.dev/schemas/${file}`);
    expect(typeof schema.title).toBe('string');
  });

  it.each(UNIONS)('%s has one closed object variant per kind', (file, kinds, required) => {
    const variants = variantsOf(committed(file));
    expect(variants.map(kindOf).sort()).toEqual([...kinds].sort());
    for (const variant of variants) {
      expect(variant.type).toBe('object');
      expect(variant.additionalProperties).toBe(false);
      expect(variant.required).toEqual(expect.arrayContaining([...required]));
    }
  });

  it.each([COMMAND_FILE, RESULT_FILE])('%s: every object with declared properties is closed', (file) => {
    const open = objectSchemas(committed(file)).filter(([, s]) => s.additionalProperties !== false);
    expect(open.map(([pointer]) => pointer)).toEqual([]);
  });

  it.each(DEFAULTS)('%s documents the default of %j as %j (and does not require it)', (kind, path, expected) => {
    let schema: Schema = variantFor(committed(COMMAND_FILE), kind);
    for (const [i, key] of path.entries()) {
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      if (i === path.length - 1) expect(required).not.toContain(key);
      const next = properties(schema)[key];
      if (!isSchema(next)) throw new Error(`no ${key}`);
      schema = next;
    }
    expect(schema.default).toEqual(expected);
  });

  it('lists every error code in the Failed result', () => {
    const code = properties(variantFor(committed(RESULT_FILE), 'Failed')).code;
    expect(isSchema(code) && code.enum).toEqual(ERROR_CODE_NAMES);
  });

  it.each(Object.entries(validInputs()))(
    'a valid %s fits its variant (required present, nothing undeclared)',
    (kind, input) => {
      const variant = variantFor(committed(COMMAND_FILE), kind);
      expect(shapeProblems(variant, input as unknown as Record<string, unknown>)).toEqual([]);
    },
  );

  it('the hand check notices what the schema refuses', () => {
    const variant = variantFor(committed(COMMAND_FILE), 'DeleteAccount');
    const { match: _match, ...withoutMatch } = validInputs().DeleteAccount as unknown as Record<string, unknown>;
    expect(shapeProblems(variant, { ...withoutMatch, runAs: 'x', kind: 'UpsertAccount' })).toEqual([
      'match: required',
      'kind: expected "DeleteAccount"',
      'runAs: not allowed',
    ]);
  });
});

describe('scripts/export-schemas.ts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hr2ad-schemas-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every schema, then has nothing to write', () => {
    const all = [...renderSchemas().keys()].sort();
    expect(checkSchemas(dir).map((d) => d.problem)).toEqual(all.map(() => 'missing'));
    expect(writeSchemas(dir).sort()).toEqual(all);
    expect(checkSchemas(dir)).toEqual([]);
    expect(writeSchemas(dir)).toEqual([]);
    for (const [file, text] of renderSchemas()) {
      expect(readFileSync(join(dir, file), 'utf8')).toBe(text);
      expect(text.endsWith('}\n')).toBe(true);
      expect(text).toContain('\n  "');
    }
  });

  it('reports a changed, a missing and a stale file', () => {
    writeSchemas(dir);
    writeFileSync(join(dir, RESULT_FILE), readFileSync(join(dir, RESULT_FILE), 'utf8').trimEnd()); // only the newline lost
    unlinkSync(join(dir, COMMAND_FILE));
    writeFileSync(join(dir, 'directory-command.v0.schema.json'), '{}\n');
    expect(checkSchemas(dir)).toEqual([
      { file: COMMAND_FILE, problem: 'missing' },
      { file: RESULT_FILE, problem: 'differs' },
      { file: 'directory-command.v0.schema.json', problem: 'stale' },
    ]);
  });

  it('--check exits 0 on the committed files and writes nothing', () => {
    const before = readdirSync(SCHEMA_DIR).map((f) => [f, readFileSync(join(SCHEMA_DIR, f), 'utf8')]);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/export-schemas.ts', '--check'], {
      cwd: join(SCHEMA_DIR, '..'),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(SCHEMA_DIR).map((f) => [f, readFileSync(join(SCHEMA_DIR, f), 'utf8')])).toEqual(before);
  }, 30_000);
});
