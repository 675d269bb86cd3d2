import type { Client } from 'ldapts';
import { childDn } from '../../shared/directory/dn';
import { DirectoryApplier, type ApplierPolicy } from '../../agent/applier/directory-applier';
import type { Directory } from '../../agent/directory/directory.port';
import { silentLogger } from '../../agent/logging/silent-logger';
import type { PasswordGenerator } from '../../agent/applier/password-generator';
import { acquireDc, addOu, adminDirectory, dcConnection, rawClient, resetDc } from './samba-dc';

/**
 * Per-suite fixture: a DC restored to its provisioned state, the suite's own OU tree, a raw client for
 * assertions and an applier allowed to act only inside the suite's OU.
 */
export interface DirectorySuite {
  domainDn: string;
  realm: string;
  /** The suite's root OU. */
  root: string;
  /** DN of a sub-OU of the suite's root, created on demand by `addOus`. */
  ou(name: string): string;
  client: Client;
  applier: DirectoryApplier;
  newApplier(options?: {
    policy?: Partial<ApplierPolicy>;
    directory?: Directory;
    now?: () => Date;
    generatePassword?: PasswordGenerator;
  }): DirectoryApplier;
  addOus(...names: string[]): Promise<void>;
  close(): Promise<void>;
}

export async function openDirectorySuite(name: string, options: { reset?: boolean } = {}): Promise<DirectorySuite> {
  const release = await acquireDc();
  try {
    return await open(name, options, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function open(name: string, options: { reset?: boolean }, release: () => void): Promise<DirectorySuite> {
  if (options.reset !== false) resetDc();
  const connection = dcConnection();
  const domainDn = connection.baseDn;
  const root = childDn('OU', name, domainDn);
  const client = await rawClient();
  await addOu(client, root);
  const appliers: DirectoryApplier[] = [];
  const newApplier: DirectorySuite['newApplier'] = (o = {}) => {
    const applier = new DirectoryApplier({
      directory: o.directory ?? adminDirectory(),
      policy: { domainDn, allowedOus: [root], ...o.policy },
      logger: silentLogger,
      now: o.now ?? (() => new Date()),
      ...(o.generatePassword ? { generatePassword: o.generatePassword } : {}),
    });
    appliers.push(applier);
    return applier;
  };
  const suite: DirectorySuite = {
    domainDn,
    realm: connection.realm.toLowerCase(),
    root,
    ou: (n) => childDn('OU', n, root),
    client,
    applier: newApplier(),
    newApplier,
    addOus: async (...names) => {
      for (const n of names) await addOu(client, childDn('OU', n, root));
    },
    close: async () => {
      try {
        for (const a of appliers) await a.close();
        await client.unbind();
      } finally {
        release();
      }
    },
  };
  return suite;
}
