import { execFileSync } from 'node:child_process';
import { dcScript } from './samba-dc';

/** Brings up the throwaway Samba AD DC once per run (provisioned once, then restored from its snapshot). */
export default function setup(): void {
  const started = Date.now();
  execFileSync('bash', [dcScript, 'up'], { stdio: ['ignore', 'ignore', 'inherit'] });
  process.stderr.write(`\n[harness] Samba AD DC up in ${Date.now() - started} ms\n`);
}
