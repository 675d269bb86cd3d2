/**
 * Prints, as one JSON line, the functions an app entry module registers when loaded as the Functions
 * worker loads it (the `@azure/functions-core` stand-in installed first): `node --import tsx
 * describe-app.ts <entry.js|entry.ts>`. Outside jest, whose module registry the stand-in cannot reach.
 */
import { resolve } from 'node:path';
import { captureRegistrations } from '../../../functions/local-host/functions-host/functions-core-shim';
import { describeRegistrations } from '../../../functions/local-host/functions-host/registrations';

async function main(): Promise<void> {
  const entry = resolve(process.argv[2] ?? '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const app = await captureRegistrations(() => void require(entry));
  process.stdout.write(`${JSON.stringify(describeRegistrations(app.registrations))}\n`);
  // The entry started opening its stores against endpoints nobody serves here.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
