/**
 * `hr2ad source test <id>`: the first thing to run after entering a source's credentials. It connects,
 * authenticates and reads one page of the source (`--count` workers; a file is read whole), then shows how
 * those records map (the preview of those workers against what is stored) — nothing is stored or sent. A refused key or an
 * unreachable server is an error naming the source (exit 1); a suspect read says why (exit 4, as a held cycle).
 */
import { Command, InvalidArgumentError } from 'commander';
import { previewCycle, renderPreviewText } from '../../shared/planner/preview';
import { displayText } from '../../shared/util/display-text';
import { configuredSources, localDataFiles } from '../local-host/local-control-plane';
import type { CliIo } from './cli-io';
import { CONFIG_OPTION, configuredCommand } from './command-options';
import { loadOrReport } from './control-plane-session';
import { EXIT, type ExitCode } from './exit-codes';
import { storedStates } from './sync-command';

const SOURCE_HELP = `
Example:
  hr2ad source test hr-bamboo --count 3
Reads one page of the source (--count workers; a file is read whole) and previews how they map.`;

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('a whole number from 1 to 100.');
  return n;
}

export async function runSourceTest(id: string, options: { config: string; count: number }, io: CliIo) {
  const loaded = loadOrReport(options.config, io);
  if (!loaded) return EXIT.invalidInput;
  const settings = loaded.config.sources.find((s) => s.id === id);
  if (!settings) {
    io.stderr(`hr2ad source test: no source "${displayText(id)}" in ${loaded.file}\n`);
    return EXIT.invalidInput;
  }
  if (settings.kind === 'scim') {
    io.stderr(`hr2ad source test: ${id} is a SCIM source: HR posts to it, there is nothing to read\n`);
    return EXIT.invalidInput;
  }
  const source = configuredSources(loaded, { now: () => io.now }).find((s) => s.source.id === id)!.source;
  let read;
  try {
    read = await source.read({ sample: options.count });
  } catch (error) {
    io.stderr(`hr2ad source test: ${(error as Error).message}\n`);
    return EXIT.invalidInput;
  }
  if (read.kind === 'suspect') {
    io.stderr(`hr2ad source test: ${id} was read, but the read is suspect: ${read.reason}\n`);
    return EXIT.held;
  }
  await io.stdout(
    `source ${id} (${settings.kind}): connected; read ${read.records.length} records, ${read.rowIssues.length} rows that could not become records\n\n`,
  );
  const records = read.records.slice(0, options.count);
  const states = await storedStates(localDataFiles(loaded).state);
  const report = previewCycle({ records, states, config: loaded.mapping, now: io.now });
  for (const chunk of renderPreviewText(report)) await io.stdout(chunk);
  return EXIT.ok;
}

export function registerSourceCommands(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  const group = configuredCommand(program.command('source').description('Check an HR source.'), program, SOURCE_HELP);
  configuredCommand(group.command('test <id>'), group, SOURCE_HELP)
    .description('Connect, authenticate, read one page of the source and show how its records map (nothing stored).')
    .option(...CONFIG_OPTION)
    .option('--count <n>', 'how many workers to preview (1-100)', count, 5)
    .action(async (id: string, options: { config: string; count: number }) =>
      setExit(await runSourceTest(id, options, io)),
    );
}
