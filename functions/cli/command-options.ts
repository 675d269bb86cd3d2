/**
 * What every control-plane command on the hr2ad command line shares: the `--config` option, and how a
 * command is set up (its --help, its output going where its parent's goes, errors handed back instead of
 * exiting, and the exit-code table after its own help text).
 */
import type { Command } from 'commander';
import { EXIT_CODES_HELP } from './exit-codes';

export const CONFIG_OPTION = [
  '--config <file>',
  'the control plane configuration (written by hr2ad init)',
  'hr2ad.config.json',
] as const;

/** `command`, a child of `parent`, with the house settings and `help` before the exit codes. */
export function configuredCommand(command: Command, parent: Command, help = ''): Command {
  return command
    .helpOption('-h, --help', 'show this help')
    .configureOutput(parent.configureOutput())
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `${help}\n${EXIT_CODES_HELP}\n`);
}
