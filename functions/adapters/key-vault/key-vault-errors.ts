/**
 * Key Vault failures as this project's errors. The SDK's RestError carries the request (a secret's value
 * in a `set`) and the response, so it is replaced, never wrapped: the message keeps the operation, the
 * object's name, the HTTP status and the service's error code, which is all an operator needs.
 */

interface RestErrorShape {
  readonly name: 'RestError';
  readonly statusCode?: number;
  readonly code?: string;
}

/** The SDK's RestError, recognised by name (its package is not a direct dependency). */
function isRestError(error: unknown): error is RestErrorShape {
  return error instanceof Error && error.name === 'RestError';
}

/** The HTTP status of an SDK error, or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  return isRestError(error) ? error.statusCode : undefined;
}

/** `HTTP <status> <code>` of an SDK error, or the error's class name (a network failure has no status). */
export function describeFailure(error: unknown): string {
  if (isRestError(error)) return `HTTP ${error.statusCode ?? 'no status'} ${error.code ?? ''}`.trim();
  return error instanceof Error ? error.name : 'unknown error';
}
