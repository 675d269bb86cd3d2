import { z } from 'zod';
import { directoryCommand } from './commands';
import { commandResult } from './results';

/**
 * JSON Schemas of the protocol, for other tools and editors (published under schemas/). The file names keep
 * their `v1` (the first published schema); each schema covers every version in SUPPORTED_PROTOCOL_VERSIONS.
 */
export function protocolJsonSchemas(): Record<string, unknown> {
  return {
    'directory-command.v1.schema.json': {
      $id: 'https://hr2ad.dev/schemas/directory-command.v1.schema.json',
      title: 'hr2ad directory command (protocols 1 and 2)',
      ...z.toJSONSchema(directoryCommand, { io: 'input' }),
    },
    'command-result.v1.schema.json': {
      $id: 'https://hr2ad.dev/schemas/command-result.v1.schema.json',
      title: 'hr2ad command result (protocols 1 and 2)',
      ...z.toJSONSchema(commandResult),
    },
  };
}
