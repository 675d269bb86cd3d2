import { randomUUID } from 'node:crypto';
import type {
  DirectoryCommand,
  DisableAccount,
  EnableAccount,
  DeleteAccount,
  LookupAccount,
  UpsertAccount,
} from '../../shared/protocol';

/** Test builders for protocol commands with sensible defaults. */

const HOUR = 3_600_000;
let sequence = 0;

function envelope(workerKey: string) {
  const now = Date.now();
  return {
    protocol: 1 as const,
    commandId: randomUUID(),
    workerKey,
    sequence: ++sequence,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 24 * HOUR).toISOString(),
  };
}

export interface Person {
  id: string;
  given: string;
  family: string;
  ou: string;
  realm?: string;
  department?: string;
  title?: string;
}

/** A joiner for `person` in `ou`, with the usual candidate lists. */
export function upsertFor(p: Person, overrides: Partial<UpsertAccount> = {}): UpsertAccount {
  const realm = p.realm ?? 'corp.example.test';
  const base =
    `${p.given[0] ?? 'x'}${p.family}`
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 18) || 'user';
  const display = `${p.given} ${p.family}`;
  return {
    kind: 'UpsertAccount',
    ...envelope(`test:${p.id}`),
    match: [{ attribute: 'employeeID', value: p.id }],
    parentOu: p.ou,
    attributes: {
      always: {
        givenName: p.given,
        sn: p.family,
        displayName: display,
        department: p.department ?? null,
        title: p.title ?? null,
      },
      onCreate: { employeeID: p.id },
    },
    unique: {
      sAMAccountName: [base, `${base}1`, `${base}2`],
      userPrincipalName: [`${base}@${realm}`, `${base}1@${realm}`, `${base}2@${realm}`],
      cn: [display, `${display} (2)`, `${display} (3)`],
    },
    enabled: true,
    password: { kind: 'generated', length: 20, mustChangeAtNextLogon: true },
    ...overrides,
  };
}

export function disableFor(id: string, moveTo?: string): DisableAccount {
  return {
    kind: 'DisableAccount',
    ...envelope(`test:${id}`),
    match: [{ attribute: 'employeeID', value: id }],
    ...(moveTo ? { moveTo } : {}),
  };
}

export function enableFor(id: string, moveTo?: string): EnableAccount {
  return {
    kind: 'EnableAccount',
    ...envelope(`test:${id}`),
    match: [{ attribute: 'employeeID', value: id }],
    ...(moveTo ? { moveTo } : {}),
  };
}

export function deleteFor(id: string): DeleteAccount {
  return { kind: 'DeleteAccount', ...envelope(`test:${id}`), match: [{ attribute: 'employeeID', value: id }] };
}

export function lookupFor(id: string, attributes: string[] = []): LookupAccount {
  return {
    kind: 'LookupAccount',
    ...envelope(`test:${id}`),
    match: [{ attribute: 'employeeID', value: id }],
    attributes,
  };
}

export type { DirectoryCommand };
