/**
 * A relay load and the checker that proves it survived whatever a suite did to the agent, the broker or
 * the DC. Each worker gets 1–3 commands, all sent up front so its session holds them in order: a joiner
 * with a managed group; for some a mover (new title, department, OU and group); for some a leaver
 * (disabled and moved to the leavers' OU). The checker reads the DC with a raw client and the results the
 * driver collected, and reports every broken property by worker, so a failure says what went wrong where.
 */
import type { Client } from 'ldapts';
import { childDn, dnEquals, normalizeDn } from '../../shared/directory/dn';
import type { DirectoryCommand } from '../../shared/protocol/commands';
import type { CommandResult } from '../../shared/protocol/results';
import { disableFor, upsertFor, type Person } from '../harness/commands';
import { addGroup, addOu, usersUnder } from '../harness/samba-dc';

/**
 * Where a load lives: its own OU (with Staff, Sales and Leavers inside) and its own managed groups, several
 * of them so that no group grows to thousands of members (each member added costs the DC more as it grows).
 */
export interface LoadPlace {
  /** The load's root OU; created by `prepareLoadPlace`. */
  readonly root: string;
  readonly staff: string;
  readonly sales: string;
  readonly leavers: string;
  readonly groups: readonly string[];
}

/** What one worker's account must look like once its last command is applied. */
export interface DesiredAccount {
  readonly employeeId: string;
  readonly dn: string;
  readonly title: string;
  readonly department: string;
  readonly enabled: boolean;
  readonly groups: readonly string[];
}

export interface Worker {
  readonly workerKey: string;
  readonly commands: readonly DirectoryCommand[];
  readonly desired: DesiredAccount;
}

export interface RelayLoad {
  readonly place: LoadPlace;
  readonly workers: readonly Worker[];
  /** Every command, worker by worker round-robin: each worker's commands in order, workers interleaved. */
  readonly commands: readonly DirectoryCommand[];
}

export interface LoadOptions {
  /** Worker ids are this prefix and a number; a prefix per load keeps two loads in one DC apart. */
  readonly prefix: string;
  readonly workers: number;
  /** Seeds the choice of each worker's commands, so a failing run can be repeated. */
  readonly seed?: number;
  /** The share of workers that get a mover, and a leaver. Defaults: one half, one quarter. */
  readonly moverShare?: number;
  readonly leaverShare?: number;
}

const GROUPS = 16;

/** Creates the load's OUs and its managed groups under `parent`. */
export async function prepareLoadPlace(client: Client, parent: string, name: string): Promise<LoadPlace> {
  const root = childDn('OU', name, parent);
  const place: LoadPlace = {
    root,
    staff: childDn('OU', 'Staff', root),
    sales: childDn('OU', 'Sales', root),
    leavers: childDn('OU', 'Leavers', root),
    groups: Array.from({ length: GROUPS }, (_, index) => childDn('CN', `Team ${index}`, root)),
  };
  for (const ou of [root, place.staff, place.sales, place.leavers]) await addOu(client, ou);
  for (const [index, group] of place.groups.entries()) await addGroup(client, group, `${name}-g${index}`.slice(0, 20));
  return place;
}

export function buildLoad(place: LoadPlace, options: LoadOptions): RelayLoad {
  const random = seededRandom(options.seed ?? 1);
  const workers = Array.from({ length: options.workers }, (_, index) =>
    workerPlan(place, index, `${options.prefix}${String(index).padStart(5, '0')}`, random, options),
  );
  return { place, workers, commands: roundRobin(workers.map((worker) => worker.commands)) };
}

function workerPlan(place: LoadPlace, index: number, id: string, random: () => number, options: LoadOptions): Worker {
  // A joiner's team, and the team a mover goes to: the two groups this worker's commands manage.
  const joinersGroup = place.groups[index % place.groups.length] as string;
  const salesGroup = place.groups[(index + 1) % place.groups.length] as string;
  const managed = [joinersGroup, salesGroup];
  const person: Person = { id, given: 'Load', family: id, ou: place.staff, title: 'Trainee', department: 'Ops' };
  const commands: DirectoryCommand[] = [upsertFor(person, { groups: { managed, memberOf: [joinersGroup] } })];
  let state = { ou: place.staff, title: 'Trainee', department: 'Ops', groups: [joinersGroup], enabled: true };
  if (random() < (options.moverShare ?? 0.5)) {
    const moved = { ...person, ou: place.sales, title: 'Account Manager', department: 'Sales' };
    commands.push(upsertFor(moved, { groups: { managed, memberOf: [salesGroup] } }));
    state = { ...state, ou: place.sales, title: moved.title, department: moved.department, groups: [salesGroup] };
  }
  if (random() < (options.leaverShare ?? 0.25)) {
    commands.push(disableFor(id, place.leavers));
    state = { ...state, ou: place.leavers, enabled: false };
  }
  const desired = { employeeId: id, dn: childDn('CN', `Load ${id}`, state.ou), ...state };
  return { workerKey: `test:${id}`, commands, desired };
}

function roundRobin<T>(lists: readonly (readonly T[])[]): T[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  const out: T[] = [];
  for (let round = 0; round < longest; round++) {
    for (const list of lists) if (round < list.length) out.push(list[round] as T);
  }
  return out;
}

/** mulberry32: small, fast and repeatable. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One result copy as the driver received it, in arrival order. */
export interface ReceivedResult {
  readonly agentId: string;
  readonly result: CommandResult;
}

/** The load's figures and every broken property, each naming its worker; `problems` is empty when all hold. */
export interface LoadVerdict {
  readonly commands: number;
  readonly results: number;
  readonly republished: number;
  readonly problems: string[];
}

/** An account as read back from the DC, reduced to what the load controls. */
export interface AccountSnapshot {
  readonly dn: string;
  readonly title: string;
  readonly department: string;
  readonly enabled: boolean;
  readonly groups: readonly string[];
}

const ACCOUNT_ATTRIBUTES = ['distinguishedName', 'employeeID', 'title', 'department', 'userAccountControl', 'memberOf'];
const ACCOUNTDISABLE = 0x2;

/** Every account under the load's root, by employeeID (a list, so that a duplicate shows). */
export async function readAccounts(client: Client, place: LoadPlace): Promise<Map<string, AccountSnapshot[]>> {
  const accounts = new Map<string, AccountSnapshot[]>();
  for (const entry of await usersUnder(client, place.root, ACCOUNT_ATTRIBUTES)) {
    const id = entry.employeeid?.[0] ?? '';
    const snapshot: AccountSnapshot = {
      dn: entry.distinguishedname?.[0] ?? entry.dn?.[0] ?? '',
      title: entry.title?.[0] ?? '',
      department: entry.department?.[0] ?? '',
      enabled: (Number(entry.useraccountcontrol?.[0] ?? 0) & ACCOUNTDISABLE) === 0,
      groups: (entry.memberof ?? []).map((dn) => normalizeDn(dn)).sort(),
    };
    accounts.set(id, [...(accounts.get(id) ?? []), snapshot]);
  }
  return accounts;
}

/** Checks (a) the DC's final state, (b) no command lost, (c) no side effect twice, (d) each worker's order. */
export async function checkLoad(
  load: RelayLoad,
  received: readonly ReceivedResult[],
  client: Client,
): Promise<LoadVerdict> {
  const accounts = await readAccounts(client, load.place);
  const ids = new Set(load.commands.map((command) => command.commandId));
  const own = received.filter(({ result }) => ids.has(result.commandId));
  const copies = copiesByCommand(own);
  const firstArrival = firstArrivalByCommand(own);
  const problems = load.workers.flatMap((worker) => [
    ...finalStateProblems(worker, accounts.get(worker.desired.employeeId) ?? []),
    ...lostCommands(worker, copies),
    ...duplicatedEffects(worker, copies),
    ...orderProblems(worker, firstArrival),
  ]);
  const results = [...copies.values()].reduce((sum, list) => sum + list.length, 0);
  return { commands: load.commands.length, results, republished: results - copies.size, problems };
}

function copiesByCommand(received: readonly ReceivedResult[]): Map<string, CommandResult[]> {
  const copies = new Map<string, CommandResult[]>();
  for (const { result } of received) copies.set(result.commandId, [...(copies.get(result.commandId) ?? []), result]);
  return copies;
}

function firstArrivalByCommand(received: readonly ReceivedResult[]): Map<string, number> {
  const first = new Map<string, number>();
  received.forEach(({ result }, index) => {
    if (!first.has(result.commandId)) first.set(result.commandId, index);
  });
  return first;
}

/** (a) exactly one account, where and as the worker's last command left it. */
function finalStateProblems(worker: Worker, accounts: readonly AccountSnapshot[]): string[] {
  const { desired } = worker;
  if (accounts.length !== 1) return [`${worker.workerKey}: ${accounts.length} accounts, expected exactly 1`];
  const account = accounts[0] as AccountSnapshot;
  const expectedGroups = desired.groups.map((dn) => normalizeDn(dn)).sort();
  const mismatches = [
    dnEquals(account.dn, desired.dn) ? '' : `dn ${account.dn} (expected ${desired.dn})`,
    account.title === desired.title ? '' : `title ${account.title} (expected ${desired.title})`,
    account.department === desired.department
      ? ''
      : `department ${account.department} (expected ${desired.department})`,
    account.enabled === desired.enabled ? '' : `enabled ${account.enabled} (expected ${desired.enabled})`,
    sameList(account.groups, expectedGroups)
      ? ''
      : `groups ${account.groups.join(' | ')} (expected ${expectedGroups.join(' | ')})`,
  ].filter(Boolean);
  return mismatches.map((mismatch) => `${worker.workerKey}: ${mismatch}`);
}

/** (b) every command has at least one result, and an applied one (none failed or was refused). */
function lostCommands(worker: Worker, copies: Map<string, CommandResult[]>): string[] {
  return worker.commands.flatMap((command) => {
    const results = copies.get(command.commandId) ?? [];
    if (results.length === 0)
      return [`${worker.workerKey}: command ${command.sequence} (${command.kind}) has no result`];
    const failed = results.find((result) => result.kind === 'Failed');
    return failed?.kind === 'Failed'
      ? [`${worker.workerKey}: command ${command.sequence} failed: ${failed.code} ${failed.message}`]
      : [];
  });
}

/**
 * (c) one account created, and each group added or removed once: counted over distinct results, because a
 * journaled result published again is the same result, not a second side effect.
 */
function duplicatedEffects(worker: Worker, copies: Map<string, CommandResult[]>): string[] {
  const distinct = new Map<string, CommandResult>();
  for (const command of worker.commands) {
    for (const result of copies.get(command.commandId) ?? []) distinct.set(JSON.stringify(result), result);
  }
  const applied = [...distinct.values()].flatMap((result) => (result.kind === 'Applied' ? [result] : []));
  const problems: string[] = [];
  const creations = applied.filter((result) => result.created).length;
  if (creations > 1) problems.push(`${worker.workerKey}: ${creations} distinct results created the account`);
  for (const change of ['groupsAdded', 'groupsRemoved'] as const) {
    const counts = new Map<string, number>();
    for (const result of applied)
      for (const group of result[change]) counts.set(normalizeDn(group), (counts.get(normalizeDn(group)) ?? 0) + 1);
    for (const [group, count] of counts) {
      if (count > 1) problems.push(`${worker.workerKey}: ${group} in ${change} of ${count} distinct results`);
    }
  }
  return problems;
}

/** (d) the first result of each of the worker's commands arrived in sequence order. */
function orderProblems(worker: Worker, firstArrival: Map<string, number>): string[] {
  const arrivals = worker.commands.map((command) => firstArrival.get(command.commandId) ?? Infinity);
  const inOrder = arrivals.every((arrival, index) => index === 0 || (arrivals[index - 1] as number) < arrival);
  return inOrder ? [] : [`${worker.workerKey}: results arrived out of order (${arrivals.join(', ')})`];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
