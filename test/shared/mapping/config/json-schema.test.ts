/**
 * The published JSON Schema of the mapping configuration: the committed file equals what
 * `scripts/export-schemas.ts` generates now, and it describes the shipped defaults' shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAPPING_CONFIG_SCHEMA_FILE } from '../../../../shared/mapping/config';
import { SCHEMA_DIR, renderSchemas } from '../../../../scripts/export-schemas';

const MAPPING_SCHEMA_PATH = join(SCHEMA_DIR, MAPPING_CONFIG_SCHEMA_FILE);
const mappingSchemaText = () => renderSchemas().get(MAPPING_CONFIG_SCHEMA_FILE)!;

type Row = [file: string, committed: () => string, generated: () => string];

const TABLE: Row[] = [
  ['schemas/mapping-config.v1.schema.json', () => readFileSync(MAPPING_SCHEMA_PATH, 'utf8'), mappingSchemaText],
];

describe('committed mapping-config schema', () => {
  it.each(TABLE)('%s equals the generated schema, byte for byte', (_file, committed, generated) => {
    const text = committed();
    expect(text).toBe(generated());
    const schema = JSON.parse(text) as { $id: string; additionalProperties: boolean; required: string[] };
    expect(schema.$id).toBe('https://hr2ad.dev/schemas/mapping-config.v1.schema.json');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['version', 'attributeMappings', 'parentOu', 'disabledOu', 'uniqueValues']);
  });
});
