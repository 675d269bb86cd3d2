/**
 * `hr2ad preview`: a dry run of one provisioning cycle over a whole HR snapshot. Nothing is stored or
 * sent: per worker it shows the classification, the plan (each command and when it is due) and the
 * attribute-level differences from the last known state, with the cycle's holds and quarantine. The
 * report is streamed worker by worker, so its size is bounded by the snapshot, not by memory.
 */
import { dnsNameOfDomain } from '../../shared/directory/dn';
import { compileMappingConfig, createDefaultMappingConfig } from '../../shared/mapping/config';
import type { PreviewHead, PreviewInput } from '../../shared/planner';
import { decodeStates } from '../../shared/planner/state-codec';
import type { LastKnownState } from '../../shared/planner/types';
import { displayText } from '../../shared/util/display-text';
import type { Issue } from '../../shared/util/result';
import type { CliIo } from './cli-io';
import { EXIT, type ExitCode } from './exit-codes';
import { shareRange } from '../../shared/planner/preview-shard';
import { arrayElements, elementsText } from './json-array-elements';
import {
  shareSettings,
  UnreadableShareError,
  writeParallelPreview,
  type ParallelPreviewInput,
  type PreviewShardPort,
} from './parallel-preview';
import { nameOf, parseInputJson, readInputJson, readInputText, STDIN } from './read-input';

export const DEFAULT_DOMAIN = 'DC=corp,DC=example,DC=test';

export interface PreviewOptions {
  readonly snapshot: string;
  readonly config?: string;
  readonly state?: string;
  readonly domain: string;
  readonly now?: Date;
  readonly changesOnly?: boolean;
  readonly json?: boolean;
  /** Planning threads (default: the CPUs, at most MAX_THREADS); 1 plans in this thread only. */
  readonly threads?: number;
  /** A snapshot is shared out only when each thread gets this many characters of it (default 1,500,000). */
  readonly minCharsPerThread?: number;
}

/** More threads than this gain little: writing the report stays on one. */
export const MAX_THREADS = 4;
/** About 5,000 records: fewer are planned sooner than a thread starts. */
const MIN_CHARS_PER_THREAD = 1_500_000;

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

function parseSnapshot(text: string, path: string): Loaded<unknown[]> {
  const read = parseInputJson(text, path, 'snapshot');
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

/** How many threads plan a snapshot of `chars` characters: each gets enough to be worth starting. */
function threadsFor(chars: number, options: PreviewOptions, io: CliIo): number {
  const wanted = options.threads ?? Math.min(io.cpus ?? 1, MAX_THREADS);
  const worth = Math.floor(chars / (options.minCharsPerThread ?? MIN_CHARS_PER_THREAD));
  return io.startPreviewThreads ? Math.max(1, Math.min(wanted, worth)) : 1;
}

/** The preview's input as the shares take it: without stored states, each plans its range ahead. */
function parallelInput(options: PreviewOptions, input: PreviewInput): ParallelPreviewInput {
  const changesOnly = options.changesOnly ?? false;
  return { ...input, changesOnly, json: options.json ?? false, planAhead: options.state === undefined };
}

/** A large snapshot shared out: the planning threads started with their records, this thread's own read. */
interface SplitSnapshot {
  readonly remote: PreviewShardPort[];
  /** Every record position, with this thread's share read (all of them when it validates the whole). */
  readonly records: Loaded<unknown[]>;
  /** Threads started for a text that turned out not to split (not a JSON array): stopped unused. */
  readonly unused: PreviewShardPort[];
}

/**
 * Starts the planning threads for a large snapshot, each with the text of its share only, before this
 * thread reads its own: the threads read theirs meanwhile. Null when one thread plans, or when the text
 * is not a JSON array that can be split (it is then read whole, for the error).
 */
/** Planning threads for `size` characters (or bytes) of snapshot, started before the snapshot is read. */
function startThreads(
  size: number,
  input: Omit<PreviewInput, 'records' | 'states'>,
  options: PreviewOptions,
  io: CliIo,
): PreviewShardPort[] {
  const threads = threadsFor(size, options, io);
  if (threads < 2) return [];
  const settings = shareSettings(parallelInput(options, { ...input, records: [], states: new Map() }));
  const { document, fingerprint } = input.config;
  return io.startPreviewThreads!(
    Array.from({ length: threads - 1 }, (_, i) => ({
      document,
      fingerprint,
      settings: { ...settings, share: i + 1, shares: threads },
    })),
  );
}

/**
 * Shares the snapshot out among the planning threads (started already from its file's size, or now), each
 * given the text of its share only, and reads this thread's share.
 */
function splitSnapshot(
  text: string,
  input: Omit<PreviewInput, 'records' | 'states'>,
  options: PreviewOptions,
  io: CliIo,
  started: PreviewShardPort[] | null,
): SplitSnapshot | null {
  const remote = started ?? startThreads(text.length, input, options, io);
  if (remote.length === 0) return null;
  const threads = remote.length + 1;
  const elements = arrayElements(text);
  if (!elements) return { remote: [], records: parseSnapshot(text, options.snapshot), unused: remote };
  const count = elements.starts.length;
  for (const shard of remote) {
    const [first, end] = shareRange(count, shard.share, threads);
    shard.give({ records: elementsText(text, elements, first, end), first, count: end - first });
  }
  const [, end] = shareRange(count, 0, threads);
  const own = options.state === undefined ? parseOwn(elementsText(text, elements, 0, end), count) : null;
  return { remote, records: own ?? parseSnapshot(text, options.snapshot), unused: [] };
}

/**
 * The configuration and the planning threads, before the snapshot is read, when its file's size says it
 * is large: the threads start their runtime while this thread reads it. Null otherwise (or from standard
 * input); the configuration's errors wait until the snapshot's are known.
 */
async function startEarly(options: PreviewOptions, now: Date, io: CliIo) {
  const size = options.snapshot === STDIN ? null : await io.fileSize?.(options.snapshot);
  if (size == null || threadsFor(size, options, io) < 2) return null;
  const config = await loadConfig(io, options);
  return { config, remote: config.ok ? startThreads(size, { config: config.value, now }, options, io) : [] };
}

/** This thread's share of `count` records, at their positions; null when it does not parse. */
function parseOwn(text: string, count: number): Loaded<unknown[]> | null {
  let own: unknown[];
  try {
    own = JSON.parse(text) as unknown[];
  } catch {
    return null;
  }
  const records = new Array<unknown>(count);
  own.forEach((record, i) => (records[i] = record));
  return { ok: true, value: records };
}

function exitCodeOf(report: PreviewHead): ExitCode {
  if (report.hold.held) return EXIT.held;
  return report.quarantined.length > 0 ? EXIT.quarantined : EXIT.ok;
}

/** Runs `hr2ad preview` once its command line is parsed. Never throws for bad input. */
export async function runPreview(options: PreviewOptions, io: CliIo): Promise<ExitCode> {
  const now = options.now ?? io.now;
  // The snapshot is read while the configuration compiles and the planning threads start.
  const reading = readInputText(io, options.snapshot, 'snapshot');
  const early = await startEarly(options, now, io);
  const text = await reading;
  const config = text.ok ? (early?.config ?? (await loadConfig(io, options))) : text;
  const split =
    text.ok && config.ok
      ? splitSnapshot(text.value, { config: config.value, now }, options, io, early?.remote ?? null)
      : null;
  const remote = split?.remote ?? [];
  const started = [...(early?.remote ?? []), ...remote, ...(split?.unused ?? [])];
  try {
    const records = text.ok ? (split?.records ?? parseSnapshot(text.value, options.snapshot)) : text;
    const states = records.ok && config.ok ? await loadStates(io, options.state) : null;
    if (!records.ok || !config.ok || !states?.ok) {
      const failed = [records, config, states].find((r) => r && !r.ok) as { message: string };
      io.stderr(`hr2ad preview: ${failed.message}\n`);
      return EXIT.invalidInput;
    }
    const input = { records: records.value, states: states.value, config: config.value, now };
    const write = (chunk: string | Uint8Array) => io.stdout(chunk);
    return reportExit(await writeParallelPreview(parallelInput(options, input), remote, write), io);
  } catch (error) {
    // A planning thread found its share unreadable: the whole snapshot is read for the error to show.
    const whole = error instanceof UnreadableShareError && text.ok ? parseSnapshot(text.value, options.snapshot) : null;
    if (!whole || whole.ok) throw error;
    io.stderr(`hr2ad preview: ${whole.message}\n`);
    return EXIT.invalidInput;
  } finally {
    await Promise.all([...new Set(started)].map((shard) => shard.close()));
  }
}

function reportExit(report: PreviewHead, io: CliIo): ExitCode {
  const code = exitCodeOf(report);
  if (code === EXIT.held)
    io.stderr(`hr2ad preview: ${report.hold.heldPlanIds.length} destructive plan(s) held for approval (exit 4)\n`);
  else if (code === EXIT.quarantined)
    io.stderr(`hr2ad preview: ${report.quarantined.length} record(s) quarantined (exit 3)\n`);
  return code;
}
