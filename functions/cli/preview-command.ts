/**
 * `hr2ad preview`: a dry run of one provisioning cycle over a whole HR snapshot. Nothing is stored or
 * sent: per worker it shows the classification, the plan (each command and when it is due) and the
 * attribute-level differences from the last known state, with the cycle's holds and quarantine. The
 * report is streamed worker by worker, so its size is bounded by the snapshot, not by memory.
 */
import { dnsNameOfDomain } from '../../shared/directory/dn';
import { compileMappingConfig, createDefaultMappingConfig } from '../../shared/mapping/config';
import { previewCycle, renderPreviewJson, renderPreviewText, type PreviewReport } from '../../shared/planner';
import { decodeStates } from '../../shared/planner/state-codec';
import type { LastKnownState } from '../../shared/planner/types';
import { displayText } from '../../shared/util/display-text';
import type { Issue } from '../../shared/util/result';
import type { CliIo } from './cli-io';
import { EXIT, type ExitCode } from './exit-codes';
import { nameOf, readInputJson } from './read-input';

export const DEFAULT_DOMAIN = 'DC=corp,DC=example,DC=test';

export interface PreviewOptions {
  readonly snapshot: string;
  readonly config?: string;
  readonly state?: string;
  readonly domain: string;
  readonly now?: Date;
  readonly changesOnly?: boolean;
  readonly json?: boolean;
}

/** The help's part about the inputs. */
export const PREVIEW_HELP = `
Inputs (each a file, or - for standard input; a UTF-8 byte-order mark is fine):
  --snapshot  a JSON array of canonical worker records (JSON Schema: schemas/worker.v1.schema.json).
              Example: examples/hr-snapshot.json
                [{"source": "workday", "id": "1001", "legalName": {"first": "Ada", "last": "Lovelace"},
                  "department": "Engineering", "location": "London", "employeeType": "employee",
                  "employmentStatus": "active", "hireDate": "2024-01-08"}]
  --config    a mapping configuration (JSON Schema: schemas/mapping-config.v1.schema.json).
              Without it, the shipped defaults for --domain (Entra's Workday-to-AD mappings).
  --state     the workers' last known states, as a state store keeps them
              (JSON Schema: schemas/last-known-state.v1.schema.json). Example: examples/states.json
                {"kind": "hr2ad-state", "version": 1, "states": [{"workerKey": "workday:1001", …}]}
              Without it, every worker in scope is new.

Examples:
  hr2ad preview --snapshot examples/hr-snapshot.json
  hr2ad preview --snapshot examples/hr-snapshot.json --state examples/states.json --changes-only
  hr2ad preview --snapshot - --json < snapshot.json > report.json
`;

/** At most this many problems of one file are listed; the rest are counted. */
const MAX_ISSUES_SHOWN = 20;

function listIssues(issues: readonly Issue[]): string {
  const shown = issues
    .slice(0, MAX_ISSUES_SHOWN)
    .map((i) => `  ${displayText(i.path)}: ${displayText(i.message)}`)
    .join('\n');
  const more = issues.length - MAX_ISSUES_SHOWN;
  return more > 0 ? `${shown}\n  … and ${more} more` : shown;
}

type Loaded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

async function loadSnapshot(io: CliIo, path: string): Promise<Loaded<unknown[]>> {
  const read = await readInputJson(io, path, 'snapshot');
  if (!read.ok) return read;
  if (!Array.isArray(read.value))
    return { ok: false, message: `${nameOf('snapshot', path)} must be a JSON array of worker records` };
  return { ok: true, value: read.value };
}

async function loadConfig(io: CliIo, options: PreviewOptions) {
  let document: unknown;
  if (options.config === undefined) {
    document = createDefaultMappingConfig({ domainDn: options.domain, upnSuffix: dnsNameOfDomain(options.domain) });
  } else {
    const read = await readInputJson(io, options.config, 'mapping configuration');
    if (!read.ok) return read;
    document = read.value;
  }
  const compiled = compileMappingConfig(document);
  if (compiled.ok) return { ok: true as const, value: compiled.value };
  const what =
    options.config === undefined
      ? `the default mapping configuration for --domain ${displayText(options.domain)}`
      : nameOf('mapping configuration', options.config);
  return { ok: false as const, message: `${what} is invalid:\n${listIssues(compiled.issues)}` };
}

async function loadStates(io: CliIo, path: string | undefined): Promise<Loaded<Map<string, LastKnownState>>> {
  if (path === undefined) return { ok: true, value: new Map() };
  const read = await readInputJson(io, path, 'state');
  if (!read.ok) return read;
  const decoded = decodeStates(read.value);
  if (!decoded.ok) return { ok: false, message: `${nameOf('state', path)} is invalid:\n${listIssues(decoded.issues)}` };
  return { ok: true, value: new Map(decoded.value.map((s) => [s.workerKey, s])) };
}

function exitCodeOf(report: PreviewReport): ExitCode {
  if (report.hold.held) return EXIT.held;
  return report.quarantined.length > 0 ? EXIT.quarantined : EXIT.ok;
}

/** Runs `hr2ad preview` once its command line is parsed. Never throws for bad input. */
export async function runPreview(options: PreviewOptions, io: CliIo): Promise<ExitCode> {
  const now = options.now ?? io.now;
  const records = await loadSnapshot(io, options.snapshot);
  const config = records.ok ? await loadConfig(io, options) : records;
  const states = config.ok ? await loadStates(io, options.state) : config;
  if (!records.ok || !config.ok || !states.ok) {
    const failed = [records, config, states].find((r) => !r.ok) as { message: string };
    io.stderr(`hr2ad preview: ${failed.message}\n`);
    return EXIT.invalidInput;
  }
  const report = previewCycle({
    records: records.value,
    states: states.value,
    config: config.value,
    now,
    changesOnly: options.changesOnly ?? false,
  });
  for (const chunk of options.json ? renderPreviewJson(report) : renderPreviewText(report)) await io.stdout(chunk);

  const code = exitCodeOf(report);
  if (code === EXIT.held)
    io.stderr(`hr2ad preview: ${report.hold.heldPlanIds.length} destructive plan(s) held for approval (exit 4)\n`);
  else if (code === EXIT.quarantined)
    io.stderr(`hr2ad preview: ${report.quarantined.length} record(s) quarantined (exit 3)\n`);
  return code;
}
