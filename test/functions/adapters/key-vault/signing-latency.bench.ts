/**
 * Signing latency per command: in process (the key read from a Key Vault secret, then cached) against a
 * Key Vault sign operation per command, both through the real SDK against the HTTPS stand-in on
 * loopback. The stand-in's own ECDSA (BigInt, test-only) is timed apart so the HTTP share shows.
 * Run: node --import tsx test/functions/adapters/key-vault/signing-latency.bench.ts
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { KeyVaultSecretStore } from '../../../../functions/adapters/key-vault/key-vault-secret-store';
import { KeyVaultSignOperationSigner } from '../../../../functions/adapters/key-vault/key-vault-sign-operation-signer';
import { rotateSigningKey } from '../../../../functions/adapters/signing/rotate-signing-key';
import { SecretStoreCommandSigner } from '../../../../functions/adapters/signing/secret-store-command-signer';
import { signCommand } from '../../../../functions/adapters/signing/sign-command';
import type { CommandSigner } from '../../../../shared/ports/command-signer.port';
import type { DisableAccount } from '../../../../shared/protocol/commands';
import { standInClientOptions, standInCredential } from '../../../harness/key-vault/clients';
import { signDigestP256 } from '../../../harness/key-vault/ecdsa-p256';
import { startKeyVault } from '../../../harness/key-vault/index';

const RUNS = 1000;
const CONCURRENCY = 16;
const clock = { now: () => new Date() };

const command = (i: number): DisableAccount => ({
  kind: 'DisableAccount',
  protocol: 1,
  commandId: `cmd-${i}`,
  workerKey: `hr:E${i}`,
  sequence: 1,
  issuedAt: '2026-03-01T00:00:00Z',
  expiresAt: '2026-03-02T00:00:00Z',
  match: [{ attribute: 'employeeID', value: `E${i}` }],
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function sequential(signer: CommandSigner): Promise<string> {
  await signCommand(command(-1), signer);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await signCommand(command(i), signer);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return `p50 ${percentile(times, 50).toFixed(3)} ms, p95 ${percentile(times, 95).toFixed(3)} ms`;
}

async function throughput(signer: CommandSigner): Promise<string> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < RUNS) await signCommand(command(next++), signer);
    }),
  );
  return `${Math.round(RUNS / ((performance.now() - start) / 1000))} commands/s`;
}

function standInEcdsa(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const digest = createHash('sha256').update('x').digest();
  const start = performance.now();
  for (let i = 0; i < 200; i++) signDigestP256(privateKey, digest);
  return `${((performance.now() - start) / 200).toFixed(3)} ms`;
}

async function main(): Promise<void> {
  const vault = await startKeyVault();
  try {
    const credential = standInCredential();
    const options = standInClientOptions(vault);
    const store = new KeyVaultSecretStore(new SecretClient(vault.url, credential, options));
    await rotateSigningKey(store, 'ES256');
    const local = new SecretStoreCommandSigner({ secrets: store, clock });
    const keys = new KeyClient(vault.url, credential, options);
    await keys.createEcKey('bench-key', { curve: 'P-256' });
    const remote = new KeyVaultSignOperationSigner({
      keys,
      credential,
      cryptographyOptions: options,
      keyName: 'bench-key',
      clock,
    });
    console.log(`in process (key from a Key Vault secret, cached): ${await sequential(local)}`);
    console.log(`  ${CONCURRENCY} concurrent: ${await throughput(local)}`);
    console.log(`Key Vault sign operation via the stand-in:        ${await sequential(remote)}`);
    console.log(`  ${CONCURRENCY} concurrent: ${await throughput(remote)}`);
    console.log(`  of which the stand-in's own ECDSA per signature: ${standInEcdsa()}`);
    console.log(`stand-in requests: ${JSON.stringify(vault.requests())}`);
  } finally {
    await vault.close();
  }
}

void main();
