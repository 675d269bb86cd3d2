import { z } from 'zod';
import { mappingConfigSchema } from './config-schema';

/** Where the schema is published (and its `$id`). */
export const MAPPING_CONFIG_SCHEMA_FILE = 'mapping-config.v1.schema.json';

/**
 * The JSON Schema of the mapping configuration, for editors and other tools. It describes the document
 * as written (defaults optional). Expressions, DNs and zones are checked further when it loads.
 */
export function mappingConfigJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://hr2ad.dev/schemas/${MAPPING_CONFIG_SCHEMA_FILE}`,
    title: 'hr2ad mapping configuration (version 1)',
    ...z.toJSONSchema(mappingConfigSchema, { io: 'input' }),
  };
}
