/**
 * A store (the state store, the ingest store) that is usable at once while the real one opens in the
 * background: every call waits for the open, then goes to the store. The Azure app registers its functions while its entry module loads,
 * before any network call could finish, and opening the Cosmos DB store (creating containers, rolling
 * pending commits forward) is one. A failed open is logged once and fails each call that needed it (the
 * Functions host retries or reports that invocation) and the next call tries to open again.
 */
import type { Logger } from '../../shared/ports/logger.port';

/** What a lazily opened store must have: methods only, and `close`. */
export interface ClosableStore {
  close(): Promise<void>;
}

/** `what` names the store in the log (`state store`, `ingest store`). */
export function lazyStore<T extends ClosableStore>(open: () => Promise<T>, logger: Logger, what: string): T {
  let opening: Promise<T> | undefined;
  let closed = false;
  const store = (): Promise<T> => {
    opening ??= open().catch((error: unknown) => {
      logger.error(`${what} did not open`, { error: (error as Error).message });
      opening = undefined;
      throw error;
    });
    return opening;
  };
  // Starts opening now; a failure here is logged, and the first call that needs the store sees it again.
  store().catch(() => undefined);
  return new Proxy({} as T, {
    get: (_target, key) => {
      // Not a thenable, and nothing but the port's methods.
      if (typeof key !== 'string' || key === 'then') return undefined;
      const method = key as keyof T;
      if (method === 'close')
        return async () => {
          if (closed || !opening) return;
          closed = true;
          await (await opening.catch(() => null))?.close();
        };
      return async (...args: unknown[]) => {
        const target = await store();
        return (target[method] as unknown as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
