/**
 * `hr2ad preview`: a dry run of one provisioning cycle over a whole HR snapshot. Nothing is stored or
 * sent: per worker it shows the classification, the plan (each command and when it is due) and the
 * attribute-level differences from the last known state, with the cycle's holds and quarantine.
 *
 * Exit codes: 0 previewed (even with quarantined records: they are part of the report), 2 usage error
 * or unreadable input.
 */
import { dnsNameOfDomain } from '../../shared/directory/dn';
import { compileMappingConfig, createDefaultMappingConfig, describeConfigIssues } from '../../shared/mapping/config';
import { previewCycle, renderPreviewText, type LastKnownState } from '../../shared/planner';
import type { ExprCommandIo } from './expr-command';

export type PreviewCommandIo = ExprCommandIo;

export const PREVIEW_USAGE = `Usage: hr2ad preview --snapshot <file.json | -> [--config <mapping.json>] [--state <states.json>]
                     [--domain <DN>] [--now <ISO-8601>] [--changes-only] [--json]

Plans one cycle over an HR snapshot without changing anything, and shows what would happen.

Options:
  --snapshot <file|->  JSON array of worker records ("-" reads stdin).
  --config <file>      Mapping configuration (JSON). Default: the shipped defaults for --domain.
  --state <file>       JSON array of last known worker states from an earlier cycle (default: none,
                       so every worker in scope is new).
  --domain <DN>        Domain for the shipped defaults (default DC=corp,DC=example,DC=test).
  --now <ISO-8601>     The cycle's instant (default: the current time).
  --changes-only       List only workers whose plan changes something.
  --json               Print the report as JSON instead of text.
  -h, --help           Show this help.
`;

interface Options {
  snapshot?: string;
  config?: string;
  state?: string;
  domain: string;
  now?: string;
  changesOnly: boolean;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Options | { error: string } | 'help' {
  const options: Options = { domain: 'DC=corp,DC=example,DC=test', changesOnly: false, json: false };
  const valued = {
    '--snapshot': 'snapshot',
    '--config': 'config',
    '--state': 'state',
    '--domain': 'domain',
    '--now': 'now',
  } as const;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--json') options.json = true;
    else if (arg === '--changes-only') options.changesOnly = true;
    else if (arg in valued) {
      const value = argv[++i];
      if (value === undefined) return { error: `${arg} needs a value` };
      options[valued[arg as keyof typeof valued]] = value;
    } else return { error: `unknown option ${arg}` };
  }
  if (!options.snapshot) return { error: '--snapshot is required' };
  return options;
}

async function readJson(io: PreviewCommandIo, path: string, what: string): Promise<unknown> {
  const text = path === '-' ? await io.readStdin() : await io.readFile(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${what} ${path === '-' ? '(stdin)' : path} is not JSON: ${(error as Error).message}`);
  }
}

export async function runPreviewCommand(argv: readonly string[], io: PreviewCommandIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed === 'help') {
    io.stdout(PREVIEW_USAGE);
    return 0;
  }
  if ('error' in parsed) {
    io.stderr(`hr2ad preview: ${parsed.error}\n\n${PREVIEW_USAGE}`);
    return 2;
  }
  try {
    const now = parsed.now ? new Date(parsed.now) : io.now;
    if (Number.isNaN(now.getTime())) throw new Error(`--now ${parsed.now} is not an ISO-8601 instant`);
    const records = await readJson(io, parsed.snapshot!, 'snapshot');
    if (!Array.isArray(records)) throw new Error('snapshot must be a JSON array of worker records');
    const configDocument = parsed.config
      ? await readJson(io, parsed.config, 'mapping configuration')
      : createDefaultMappingConfig({ domainDn: parsed.domain, upnSuffix: dnsNameOfDomain(parsed.domain) });
    const loaded = compileMappingConfig(configDocument);
    if (!loaded.ok) throw new Error(`mapping configuration is invalid:\n${describeConfigIssues(loaded.issues)}`);
    const stateList = parsed.state ? await readJson(io, parsed.state, 'state') : [];
    if (!Array.isArray(stateList)) throw new Error('state must be a JSON array of worker states');
    const states = new Map((stateList as LastKnownState[]).map((s) => [s.workerKey, s]));
    const report = previewCycle({ records, states, config: loaded.config, now, changesOnly: parsed.changesOnly });
    io.stdout(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : renderPreviewText(report));
    return 0;
  } catch (error) {
    io.stderr(`hr2ad preview: ${(error as Error).message}\n`);
    return 2;
  }
}
