import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dcLock, dcScript } from './samba-dc';

/** Brings up the throwaway Samba AD DC once per run (provisioned once, then restored from its snapshot). */
export default function setup(): void {
  // A run that was killed may have left the lock behind.
  rmSync(dcLock, { recursive: true, force: true });
  const started = Date.now();
  execFileSync('bash', [dcScript, 'up'], { stdio: ['ignore', 'ignore', 'inherit'] });
  process.stderr.write(`\n[harness] Samba AD DC up in ${Date.now() - started} ms\n`);
}
