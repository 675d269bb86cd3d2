/**
 * The embedded agent's directory section for a benchmark's control plane: the benchmark DC's, or (runs
 * with a no-op agent) one that is never connected to.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DcConnection } from '../../agent/demo/dc-connection';
import type { ControlPlaneConfigInput } from '../../functions/config/control-plane-config';

export function agentDirectory(dc: DcConnection | null, dir: string): ControlPlaneConfigInput['agent']['directory'] {
  if (dc) {
    return {
      url: dc.url,
      bindDn: dc.bindDn,
      bindPassword: { file: dc.passwordFile },
      tls: { caFile: dc.caFile, serverName: dc.serverName },
    };
  }
  writeFileSync(join(dir, 'unused-password'), 'unused');
  return { url: 'ldaps://127.0.0.1:1', bindDn: 'CN=unused', bindPassword: { file: 'unused-password' } };
}
