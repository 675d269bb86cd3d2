/**
 * Errors every connector raises the same way. A refused or missing credential fails the read (the
 * stored cursor does not move), with the vendor's own wording of what was refused.
 */
import { HttpError, type HttpClientDeps } from './http-client';

/** Refused or missing credentials: the read fails (the cursor does not move) with this message. */
export class ConnectorAuthError extends Error {
  override readonly name = 'ConnectorAuthError';
}

/** The `http` test hooks and retry settings a connector's options take (tests inject fetch, sleep and random). */
export type ConnectorHttpOptions = HttpClientDeps & { readonly timeoutMs?: number; readonly maxAttempts?: number };

/** Whether a request failed because the vendor refused the credentials (HTTP 401 or 403). */
export function isRefusal(error: unknown): error is HttpError {
  return error instanceof HttpError && (error.status === 401 || error.status === 403);
}

/**
 * Runs `read`; a refusal (401/403) becomes a `ConnectorAuthError` with the text `refused(status)` gives,
 * and any other error passes through as it is.
 */
export async function refusalsAsAuthErrors<T>(read: () => Promise<T>, refused: (status: number) => string): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isRefusal(error)) throw new ConnectorAuthError(refused(error.status));
    throw error;
  }
}
