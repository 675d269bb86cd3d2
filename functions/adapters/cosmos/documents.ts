/**
 * Reading and writing the store's documents: point reads, conditional writes and queries, with the few
 * status codes the store acts on (404 absent, 409 already there, 412 changed since read) turned into
 * results instead of exceptions. Every read-modify-write goes through `updateWithRetry`: it replaces with
 * `IfMatch` on the `_etag` it read (or creates when there was nothing), and on 412/409 reads again.
 */
import { createHash } from 'node:crypto';
import type { Container, ItemDefinition, JSONValue, PartitionKey, SqlParameter } from '@azure/cosmos';

/** A stored document with the system fields the store uses. */
export type Stored<T> = T & { readonly id: string; readonly _etag: string };

/** How many times a read-modify-write reads again after another writer won; then it fails, naming the item. */
const UPDATE_ATTEMPTS = 20;

/** A deterministic, Cosmos-safe id (no `/ \ ? #`, bounded length) for a record's natural key. */
export function documentId(kind: string, ...key: readonly string[]): string {
  return `${kind}.${createHash('sha256').update(JSON.stringify(key)).digest('base64url')}`;
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** The document, or null when absent. */
export async function readDocument<T>(container: Container, id: string, pk: PartitionKey): Promise<Stored<T> | null> {
  const { resource, statusCode } = await container.item(id, pk).read<Stored<T>>();
  return statusCode === 404 || !resource ? null : resource;
}

/** Creates the document; false (and nothing written) when one with its id is already there. */
export async function createDocument(container: Container, document: ItemDefinition): Promise<boolean> {
  try {
    await container.items.create(document);
    return true;
  } catch (error) {
    if (statusOf(error) === 409) return false;
    throw error;
  }
}

/** Writes the document whatever is there (an idempotent write of a decided value). */
export async function upsertDocument(container: Container, document: ItemDefinition): Promise<void> {
  await container.items.upsert(document);
}

/** Deletes the document; absent is fine (clean-up that may already have run). */
export async function deleteDocument(container: Container, id: string, pk: PartitionKey): Promise<void> {
  try {
    await container.item(id, pk).delete();
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

/**
 * Writes `next` over `current` only if `current` is still what is stored (`IfMatch` its etag; create when
 * `current` is null). False when another writer came first.
 */
export async function writeIfUnchanged(
  container: Container,
  current: Stored<object> | null,
  next: ItemDefinition,
  pk: PartitionKey,
): Promise<boolean> {
  try {
    if (current === null) await container.items.create(next);
    else
      await container
        .item(current.id, pk)
        .replace(next, { accessCondition: { type: 'IfMatch', condition: current._etag } });
    return true;
  } catch (error) {
    const status = statusOf(error);
    if (status === 412 || status === 409 || (status === 404 && current !== null)) return false;
    throw error;
  }
}

/**
 * Read-modify-write of one document, retried while another writer wins. `change` returns the document to
 * store, or null to leave it as it is; the result is what `change` returned last.
 */
export async function updateWithRetry<T extends object>(
  container: Container,
  id: string,
  pk: PartitionKey,
  change: (current: Stored<T> | null) => ItemDefinition | null,
): Promise<ItemDefinition | null> {
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    const current = await readDocument<T>(container, id, pk);
    const next = change(current);
    if (next === null) return null;
    if (await writeIfUnchanged(container, current, next, pk)) return next;
  }
  throw new Error(
    `${container.id} item ${id} (partition ${JSON.stringify(pk)}): still changing after ${UPDATE_ATTEMPTS} attempts`,
  );
}

export interface Query {
  readonly query: string;
  readonly parameters?: SqlParameter[];
}

/** `@name` parameters from an object. */
export function params(values: Record<string, JSONValue>): SqlParameter[] {
  return Object.entries(values).map(([name, value]) => ({ name: `@${name}`, value }));
}

/**
 * Every result of a query, following continuation tokens page by page. With `partition`, the query must
 * also filter on the partition key itself: the option only routes the query (and spares the query-plan
 * request); the test server ignores it, and the filter is what makes the answer right everywhere.
 */
export async function queryAll<T>(container: Container, query: Query, partition?: PartitionKey): Promise<T[]> {
  const options = partition === undefined ? { maxItemCount: 1000 } : { maxItemCount: 1000, partitionKey: partition };
  const iterator = container.items.query<T>({ query: query.query, parameters: query.parameters ?? [] }, options);
  const results: T[] = [];
  while (iterator.hasMoreResults()) {
    const page = await iterator.fetchNext();
    results.push(...page.resources);
  }
  return results;
}

/** Runs `work` over `items` with at most `parallel` in flight; the first failure rejects. */
export async function forEachLimited<T>(
  items: readonly T[],
  parallel: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, lane));
}
