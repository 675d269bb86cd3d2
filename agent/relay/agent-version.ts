import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version in hr2ad's package.json (found from here upwards, in the sources or the compiled build). */
export function agentVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === 'hr2ad' && manifest.version) return manifest.version;
  }
  return '0.0.0';
}
