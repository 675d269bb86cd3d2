import { execFileSync } from 'node:child_process';
import { dcScript } from './samba-dc';

/** Always stops the DC, whatever the tests did. */
export default function teardown(): void {
  execFileSync('bash', [dcScript, 'down'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
