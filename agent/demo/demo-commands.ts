import { childDn } from '../../shared/directory/dn';
import type { DirectoryCommand, MatchKey, UpsertAccount } from '../../shared/protocol';

/** The bundled lifecycle the demo applies: joiners, a pre-hire, a mover, a leaver, a rehire, a hard delete. */

export interface DemoLayout {
  root: string;
  engineering: string;
  sales: string;
  disabled: string;
  groups: string;
  realm: string;
}

export function demoLayout(domainDn: string, realm: string): DemoLayout {
  const root = childDn('OU', 'hr2ad Demo', domainDn);
  return {
    root,
    engineering: childDn('OU', 'Engineering', root),
    sales: childDn('OU', 'Sales', root),
    disabled: childDn('OU', 'Disabled Users', root),
    groups: childDn('OU', 'Groups', root),
    realm,
  };
}

export const demoGroups = (l: DemoLayout) => ({
  engineering: childDn('CN', 'GG-Engineering', l.groups),
  sales: childDn('CN', 'GG-Sales', l.groups),
});

interface Person {
  id: string;
  given: string;
  family: string;
  department: string;
  title: string;
  ou: string;
  manager?: string;
  groups?: string[];
  enabled?: boolean;
}

export interface DemoStep {
  label: string;
  command: DirectoryCommand;
}

export function demoSteps(l: DemoLayout, now: Date): DemoStep[] {
  const g = demoGroups(l);
  let sequence = 0;
  const envelope = (id: string) => ({
    protocol: 1 as const,
    commandId: `demo-${id}-${++sequence}`,
    workerKey: `demo:${id}`,
    sequence,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
  });
  const match = (id: string): MatchKey[] => [{ attribute: 'employeeID', value: id }];
  const upsert = (p: Person): UpsertAccount => {
    const sam = `${p.given[0]}${p.family}`.toLowerCase();
    const display = `${p.given} ${p.family}`;
    return {
      kind: 'UpsertAccount',
      ...envelope(p.id),
      match: match(p.id),
      parentOu: p.ou,
      attributes: {
        always: { givenName: p.given, sn: p.family, displayName: display, department: p.department, title: p.title },
        onCreate: { employeeID: p.id },
      },
      unique: {
        sAMAccountName: [sam, `${sam}1`, `${sam}2`],
        userPrincipalName: [`${sam}@${l.realm}`, `${sam}1@${l.realm}`, `${sam}2@${l.realm}`],
        cn: [display, `${display} (2)`, `${display} (3)`],
      },
      enabled: p.enabled ?? true,
      password: { kind: 'generated', length: 20, mustChangeAtNextLogon: true },
      ...(p.manager ? { manager: { attribute: 'employeeID', value: p.manager } } : {}),
      groups: { managed: [g.engineering, g.sales], memberOf: p.groups ?? [] },
    };
  };
  const ada: Person = {
    id: 'E1001',
    given: 'Ada',
    family: 'Lovelace',
    department: 'Engineering',
    title: 'Engineer',
    ou: l.engineering,
    manager: 'E1000',
    groups: [g.engineering],
  };
  const grace: Person = {
    id: 'E1000',
    given: 'Grace',
    family: 'Hopper',
    department: 'Engineering',
    title: 'Head of Engineering',
    ou: l.engineering,
    groups: [g.engineering],
  };
  const alan: Person = {
    id: 'E1002',
    given: 'Alan',
    family: 'Turing',
    department: 'Engineering',
    title: 'Researcher',
    ou: l.engineering,
    manager: 'E1000',
    groups: [g.engineering],
  };
  const ada2: Person = {
    id: 'E1003',
    given: 'Ada',
    family: 'Lovelace',
    department: 'Sales',
    title: 'Account Executive',
    ou: l.sales,
    groups: [g.sales],
  };
  const katherine: Person = {
    id: 'E1004',
    given: 'Katherine',
    family: 'Johnson',
    department: 'Engineering',
    title: 'Analyst',
    ou: l.engineering,
    manager: 'E1000',
    groups: [g.engineering],
  };
  return [
    { label: 'joiner (manager not hired yet)', command: upsert(ada) },
    { label: 'joiner (the manager)', command: upsert(grace) },
    { label: 'joiner redelivered: manager now set', command: upsert(ada) },
    { label: 'joiner', command: upsert(alan) },
    { label: 'joiner with the same name', command: upsert(ada2) },
    { label: 'pre-hire: created disabled before the start date', command: upsert({ ...katherine, enabled: false }) },
    { label: 'start date: enabled', command: upsert(katherine) },
    {
      label: 'mover: to Sales, new title and group',
      command: upsert({ ...ada, department: 'Sales', title: 'Solutions Engineer', ou: l.sales, groups: [g.sales] }),
    },
    {
      label: 'leaver: disabled, moved to Disabled Users',
      command: { kind: 'DisableAccount', ...envelope(alan.id), match: match(alan.id), moveTo: l.disabled },
    },
    {
      label: 'rehire: enabled, moved back',
      command: { kind: 'EnableAccount', ...envelope(alan.id), match: match(alan.id), moveTo: l.engineering },
    },
    { label: 'hard delete', command: { kind: 'DeleteAccount', ...envelope(ada2.id), match: match(ada2.id) } },
    { label: 'same command delivered again', command: upsert(katherine) },
  ];
}
