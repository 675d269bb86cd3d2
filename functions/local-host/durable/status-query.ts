/**
 * listStatus: the instance filter as SQL and keyset paging. The continuation token is opaque to callers
 * (base64 of the last row's sort key), so a page boundary stays stable while instances are added.
 */
import type { SQLInputValue } from 'node:sqlite';
import type { InstanceStatus, RuntimeStatus, StatusQuery } from './durable-engine';
import type { DurableStore, InstanceRow } from './durable-store';
import { fromJson, toStatusHistory, type HistoryEvent } from './history-events';

const DEFAULT_PAGE_SIZE = 100;

interface PageKey {
  readonly createdAt: string;
  readonly instanceId: string;
}

function encodeToken(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.instanceId]), 'utf8').toString('base64url');
}

function decodeToken(token: string): PageKey {
  const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
    throw new Error('invalid continuation token');
  }
  return { createdAt: parsed[0], instanceId: parsed[1] };
}

/** Escapes LIKE wildcards so an instance-id prefix matches literally. */
const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function whereClause(query: StatusQuery): { where: string; params: SQLInputValue[] } {
  const conditions: string[] = [];
  const params: SQLInputValue[] = [];
  const statuses = query.runtimeStatus ?? [];
  if (statuses.length > 0) {
    conditions.push(`status IN (${statuses.map(() => '?').join(',')})`);
    params.push(...statuses);
  }
  if (query.createdTimeFrom !== undefined) {
    conditions.push('created_at >= ?');
    params.push(new Date(query.createdTimeFrom).toISOString());
  }
  if (query.createdTimeTo !== undefined) {
    conditions.push('created_at <= ?');
    params.push(new Date(query.createdTimeTo).toISOString());
  }
  if (query.instanceIdPrefix !== undefined && query.instanceIdPrefix !== '') {
    conditions.push("instance_id LIKE ? ESCAPE '\\'");
    params.push(likePrefix(query.instanceIdPrefix));
  }
  if (query.continuationToken !== undefined && query.continuationToken !== '') {
    const key = decodeToken(query.continuationToken);
    conditions.push('(created_at > ? OR (created_at = ? AND instance_id > ?))');
    params.push(key.createdAt, key.createdAt, key.instanceId);
  }
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}

/** The status API's view of an instance (input and output are null, never absent, when there is none). */
export function toInstanceStatus(row: InstanceRow, history?: readonly HistoryEvent[]): InstanceStatus {
  const status = {
    name: row.name,
    instanceId: row.instanceId,
    runtimeStatus: row.status as RuntimeStatus,
    createdTime: row.createdAt,
    lastUpdatedTime: row.updatedAt,
    input: fromJson(row.input) ?? null,
    output: fromJson(row.output) ?? null,
    customStatus: fromJson(row.customStatus) ?? null,
  };
  return history === undefined ? status : { ...status, history: toStatusHistory(history) };
}

/** One page of instances matching the query, ordered by creation time then id. */
export function listInstances(
  store: DurableStore,
  query: StatusQuery,
): { instances: InstanceStatus[]; continuationToken: string | null } {
  const top = query.top !== undefined && query.top > 0 ? Math.trunc(query.top) : DEFAULT_PAGE_SIZE;
  const { where, params } = whereClause(query);
  const rows = store.queryInstances(where, params, top + 1);
  const page = rows.slice(0, top);
  const last = page[page.length - 1];
  const more = rows.length > top && last !== undefined;
  return {
    instances: page.map((r) => toInstanceStatus(r)),
    continuationToken: more ? encodeToken({ createdAt: last.createdAt, instanceId: last.instanceId }) : null,
  };
}
