/** Runs the hr2ad-agent command line in-process over captured I/O, with stand-in relay dependencies. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentCliIo } from '../../../agent/cli/cli-io';
import { runAgentCli, type AgentCliDeps } from '../../../agent/cli/program';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

const unusedDeps: AgentCliDeps = {
  startRelay: () => Promise.reject(new Error('no relay in this test')),
  journalStats: () => ({ commandsCompleted: 0, workers: 0, refusals: 0 }),
  statusFileFor: (journal) => `${journal}.status.json`,
};

export interface RunOptions {
  stdin?: string;
  deps?: Partial<AgentCliDeps>;
  io?: Partial<AgentCliIo>;
}

export async function runAgent(argv: string[], options: RunOptions = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: AgentCliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => options.stdin ?? '',
    now: () => new Date('2025-03-01T10:00:00Z'),
    env: {},
    ...options.io,
  };
  const code = await runAgentCli(argv, io, { version: '9.8.7' }, { ...unusedDeps, ...options.deps });
  return { code, stdout, stderr };
}

export function temporaryDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'hr2ad-agent-cli-'));
}

/** An Ed25519 public key file (the control plane's pinned key). */
export function publicKeyFile(dir: string): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const file = join(dir, 'control-plane.pub.pem');
  writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }));
  return file;
}

export const DOMAIN = 'DC=corp,DC=example,DC=test';

/** Every flag a first init needs, secrets from files in `dir`. */
export function firstInitArgs(dir: string, secrets: { bindPassword: string; connectionString: string }): string[] {
  const passwordFile = join(dir, 'bind-password');
  const connectionFile = join(dir, 'connection-string');
  writeFileSync(passwordFile, `${secrets.bindPassword}\n`);
  writeFileSync(connectionFile, secrets.connectionString);
  return [
    'init',
    '--config',
    join(dir, 'agent.json'),
    '--dc-url',
    'ldaps://dc1.corp.example.test',
    '--bind-dn',
    `CN=svc-hr2ad,CN=Users,${DOMAIN}`,
    '--bind-password-file',
    passwordFile,
    '--domain',
    DOMAIN,
    '--allowed-ou',
    `OU=Users,${DOMAIN}`,
    '--allowed-ou',
    `OU=Disabled Users,${DOMAIN}`,
    '--service-bus-connection-string-file',
    connectionFile,
    '--journal',
    join(dir, 'journal.sqlite'),
    '--signing-key',
    `hr2ad-2025=${publicKeyFile(dir)}`,
  ];
}
