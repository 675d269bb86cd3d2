/**
 * The connection file scripts/samba-dc.sh writes for the local Samba AD DC that the demo, the tests and
 * the benchmarks use: where it listens, its CA, the administrator's bind account and the domain.
 */
import { readFileSync } from 'node:fs';
import type { LdapConnectionOptions } from '../directory/ldapts-directory';

export interface DcConnection {
  url: string;
  serverName: string;
  caFile: string;
  bindDn: string;
  passwordFile: string;
  baseDn: string;
  realm: string;
  /** False when the DC was provisioned with `ldb:nosync` (faster, not crash-safe). */
  durableWrites?: boolean;
}

export function readDcConnection(file: string): DcConnection {
  return JSON.parse(readFileSync(file, 'utf8')) as DcConnection;
}

/** LDAPS options for the DC's administrator, verifying the DC's certificate against its CA. */
export function dcConnectionOptions(c: DcConnection): LdapConnectionOptions {
  return {
    url: c.url,
    bindDn: c.bindDn,
    bindPassword: readFileSync(c.passwordFile, 'utf8'),
    tls: { ca: readFileSync(c.caFile, 'utf8'), serverName: c.serverName },
  };
}
