/**
 * Stable error codes a directory command can fail with. They travel in results and audit logs, so a code
 * is never renamed; a new failure gets a new code. Each has a fixed retryable flag: a retryable failure
 * may succeed on a later delivery of the same command without anyone changing anything.
 */
export const ERROR_CODES = {
  /** The command did not decode: malformed JSON, a missing or mistyped field, an unknown kind. */
  ProtocolError: { retryable: false },
  /** The command names a protocol version this agent does not speak. */
  UnsupportedVersion: { retryable: false },
  /** The command's expiresAt has passed; the control plane re-plans and sends a fresh one. */
  Expired: { retryable: false },
  /** A target DN (account, parent OU, move target, group) lies outside the agent's allow-listed OUs. */
  OutsideAllowedOus: { retryable: false },
  /** The account is protected (adminCount=1, a built-in privileged account or member of a privileged group). */
  ProtectedAccount: { retryable: false },
  /** More than one directory object matches the same match key. */
  AmbiguousMatch: { retryable: false },
  /** No account matches the command's match keys (disable, enable, delete of an unknown account). */
  AccountNotFound: { retryable: false },
  /** The target parent OU, move target or a managed group does not exist. */
  ParentNotFound: { retryable: false },
  /** A value breaks an AD rule (length, characters, syntax) before or at the directory. */
  InvalidValue: { retryable: false },
  /** The attribute is not in the directory schema. */
  UnknownAttribute: { retryable: false },
  /** Every candidate for a unique value (sAMAccountName, UPN, cn, mail) is already taken. */
  UniqueValuesExhausted: { retryable: false },
  /** The directory refused the generated password (complexity, length or history policy). */
  PasswordRejected: { retryable: false },
  /** The directory reported a constraint violation not covered by a more precise code. */
  ConstraintViolation: { retryable: false },
  /** An object with that name already exists where the command would put it. */
  AlreadyExists: { retryable: false },
  /** The directory refused the name or the object class (naming or object-class violation). */
  NamingViolation: { retryable: false },
  /** The agent's service account may not do this. */
  InsufficientAccess: { retryable: false },
  /** The directory refused the agent's credentials. */
  InvalidCredentials: { retryable: false },
  /** The directory refused the operation for a reason of its own (unwilling to perform). */
  UnwillingToPerform: { retryable: false },
  /** The directory is busy or over an administrative limit; try later. */
  DirectoryBusy: { retryable: true },
  /** The directory is unavailable (down, shutting down, unreachable). */
  DirectoryUnavailable: { retryable: true },
  /** The operation timed out. */
  Timeout: { retryable: true },
  /** The connection to the directory failed or broke (socket or TLS failure). */
  ConnectionFailed: { retryable: true },
  /** TLS certificate verification failed: a configuration problem, not a passing fault. */
  TlsVerificationFailed: { retryable: false },
  /** The directory's own size limit cut a search short: retrying returns the same (LDAP result code 4). */
  SizeLimitExceeded: { retryable: false },
  /** The command carries no valid signature from a pinned key (unsigned, unknown key, wrong or tampered). */
  SignatureInvalid: { retryable: false },
  /** The command's sequence number is older than the last one applied for its worker: newer intent won. */
  OutOfOrder: { retryable: false },
  /** The agent failed the command on every delivery up to the queue's limit and dead-lettered it. */
  DeliveryExhausted: { retryable: false },
  /** Anything the agent could not classify; not retried automatically. */
  Unexpected: { retryable: false },
} as const satisfies Record<string, { retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

export function isRetryable(code: ErrorCode): boolean {
  return ERROR_CODES[code].retryable;
}
