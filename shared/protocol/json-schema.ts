import { z } from 'zod';
import { directoryCommand } from './commands';
import { commandResult } from './results';

/** JSON Schemas of the protocol, for other tools and editors (published under schemas/). */
export function protocolJsonSchemas(): Record<string, unknown> {
  return {
    'directory-command.v1.schema.json': {
      $id: 'https://hr2ad.dev/schemas/directory-command.v1.schema.json',
      title: 'hr2ad directory command (protocol 1)',
      ...z.toJSONSchema(directoryCommand, { io: 'input' }),
    },
    'command-result.v1.schema.json': {
      $id: 'https://hr2ad.dev/schemas/command-result.v1.schema.json',
      title: 'hr2ad command result (protocol 1)',
      ...z.toJSONSchema(commandResult),
    },
  };
}
