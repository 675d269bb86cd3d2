/**
 * `hr2ad-agent doctor`: runs the checks (agent/doctor) and prints one line per check — PASS, WARN, FAIL or
 * SKIP — with the remedy under each failure or warning; `--json` prints them as a JSON array.
 */
import { readFileSync } from 'node:fs';
import type { CheckResult } from '../doctor/check';
import { runDoctor, type DoctorEnvironment } from '../doctor/run-doctor';
import type { AgentCliIo } from './cli-io';
import { AGENT_EXIT, type AgentExitCode } from './exit-codes';
import { loadConfigOrReport } from './load-or-report';

export interface AgentDoctorOptions {
  readonly config: string;
  readonly keyFile?: string;
  readonly ou?: string[];
  readonly json?: boolean;
}

export type AgentDoctorDeps = Pick<DoctorEnvironment, 'serviceBusClient'>;

export const AGENT_DOCTOR_HELP = `
Checks, each PASS, WARN, FAIL (with its remedy) or SKIP (needs a check that failed):
  Service Bus   connect with the configured transport; listen on the commands queue (peeks an unused
                session); send on the results queue (a probe scheduled 20 days ahead, cancelled at once);
                the clock against the broker's
  LDAPS         the TLS handshake and the DC certificate (subject, issuer, expiry), verified as configured
  bind          the configured account and password
  rights        in each allowed OU and each --ou: a disabled probe user hr2ad-doctor-… is created,
                modified, moved to the next OU checked (renamed when there is one), deleted
  schema        whether the match attributes are indexed (a warning only)
  clock         against the DC's: a warning above 60 s, a failure above 5 minutes (Kerberos)
Nothing is left behind: probes are deleted whatever happens.
`;

function line(result: CheckResult): string {
  const remedy = result.remedy && result.verdict !== 'PASS' ? `\n      remedy: ${result.remedy}` : '';
  return `${result.verdict.padEnd(4)}  ${result.name}: ${result.detail}${remedy}\n`;
}

export async function runAgentDoctor(
  options: AgentDoctorOptions,
  io: AgentCliIo,
  deps: AgentDoctorDeps,
): Promise<AgentExitCode> {
  const loaded = await loadConfigOrReport('doctor', options, io);
  if (!loaded) return AGENT_EXIT.invalidInput;
  const results = await runDoctor(loaded.config, {
    readers: { readFile: (path) => readFileSync(path, 'utf8'), env: io.env },
    now: () => io.now(),
    extraOus: options.ou ?? [],
    ...deps,
  });
  io.stdout(options.json ? `${JSON.stringify(results, null, 2)}\n` : results.map(line).join(''));
  return results.some((r) => r.verdict === 'FAIL') ? AGENT_EXIT.checkFailed : AGENT_EXIT.ok;
}
