/**
 * Writes the published JSON Schemas — the command protocol, the mapping and control-plane configurations,
 * the worker and state documents — and the HTTP API's OpenAPI document to schemas/
 * (one file per schema, pretty-printed, trailing newline).
 *
 *   node --import tsx scripts/export-schemas.ts           write them
 *   node --import tsx scripts/export-schemas.ts --check   write nothing; exit 1 listing every file that differs
 *
 * --check also fails on a *.schema.json in schemas/ that publishedJsonSchemas() no longer produces.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MAPPING_CONFIG_SCHEMA_FILE, mappingConfigJsonSchema } from '../shared/mapping/config';
import { protocolJsonSchemas } from '../shared/protocol/json-schema';
import { STATE_SCHEMA_FILE, stateDocumentJsonSchema } from '../shared/planner/state-codec';
import { workerSchema } from '../shared/worker/worker-schema';
import { z } from 'zod';
import {
  CONTROL_PLANE_CONFIG_SCHEMA_FILE,
  controlPlaneConfigJsonSchema,
} from '../functions/config/control-plane-config';
import { OPENAPI_FILE, controlPlaneOpenApi } from '../functions/http/openapi';
import { agentConfigSchema } from '../agent/config/agent-config';
import {
  FILE_SOURCE_SETTINGS_SCHEMA_FILE,
  fileSourceSettingsJsonSchema,
} from '../functions/sources/file/file-source-config';

/** The canonical worker record, as HR connectors and snapshots write it (optional fields may be left out). */
function workerJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://hr2ad.dev/schemas/worker.v1.schema.json',
    title: 'hr2ad canonical worker record (version 1)',
    ...z.toJSONSchema(workerSchema, { io: 'input' }),
  };
}

const AGENT_CONFIG_SCHEMA_FILE = 'agent-config.v1.schema.json';

/** The standalone agent's configuration, as `hr2ad-agent init` writes it (before sealing) or an administrator does. */
function agentConfigJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://hr2ad.dev/schemas/${AGENT_CONFIG_SCHEMA_FILE}`,
    title: 'hr2ad agent configuration (version 1)',
    ...z.toJSONSchema(agentConfigSchema, { io: 'input' }),
  };
}

export const SCHEMA_DIR = resolve(__dirname, '..', 'schemas');

/** Every schema hr2ad publishes, by file name. */
export function publishedJsonSchemas(): Record<string, unknown> {
  return {
    ...protocolJsonSchemas(),
    [MAPPING_CONFIG_SCHEMA_FILE]: mappingConfigJsonSchema(),
    [STATE_SCHEMA_FILE]: stateDocumentJsonSchema(),
    'worker.v1.schema.json': workerJsonSchema(),
    [CONTROL_PLANE_CONFIG_SCHEMA_FILE]: controlPlaneConfigJsonSchema(),
    [FILE_SOURCE_SETTINGS_SCHEMA_FILE]: fileSourceSettingsJsonSchema(),
    [OPENAPI_FILE]: controlPlaneOpenApi(),
    [AGENT_CONFIG_SCHEMA_FILE]: agentConfigJsonSchema(),
  };
}

/** File name → exact file text. */
export function renderSchemas(): Map<string, string> {
  return new Map(
    Object.entries(publishedJsonSchemas()).map(([name, schema]) => [name, `${JSON.stringify(schema, null, 2)}\n`]),
  );
}

export interface SchemaDifference {
  file: string;
  problem: 'missing' | 'differs' | 'stale';
}

/** What in `dir` does not match what the code produces now. */
export function checkSchemas(dir: string = SCHEMA_DIR): SchemaDifference[] {
  const expected = renderSchemas();
  const differences: SchemaDifference[] = [];
  for (const [file, text] of expected) {
    const path = join(dir, file);
    if (!existsSync(path)) differences.push({ file, problem: 'missing' });
    else if (readFileSync(path, 'utf8') !== text) differences.push({ file, problem: 'differs' });
  }
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.schema.json')) : [];
  for (const file of present.sort()) if (!expected.has(file)) differences.push({ file, problem: 'stale' });
  return differences;
}

/** Writes every schema whose file is missing or different; returns the files written. */
export function writeSchemas(dir: string = SCHEMA_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, text] of renderSchemas()) {
    const path = join(dir, file);
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    writeFileSync(path, text);
    written.push(file);
  }
  return written;
}

function main(args: readonly string[]): number {
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    console.error(`usage: node --import tsx scripts/export-schemas.ts [--check]  (unknown: ${unknown.join(' ')})`);
    return 2;
  }
  if (args.includes('--check')) {
    const differences = checkSchemas();
    if (differences.length === 0) {
      console.log(`schemas/ is up to date (${renderSchemas().size} files)`);
      return 0;
    }
    for (const d of differences) console.error(`schemas/${d.file}: ${d.problem}`);
    console.error('run: node --import tsx scripts/export-schemas.ts');
    return 1;
  }
  const written = writeSchemas();
  for (const file of written) console.log(`wrote schemas/${file}`);
  if (written.length === 0) console.log('schemas/ already up to date');
  for (const d of checkSchemas().filter((x) => x.problem === 'stale')) {
    console.warn(`schemas/${d.file} is no longer produced; delete it`);
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
