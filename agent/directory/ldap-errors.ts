import { isRetryable, type ErrorCode } from '../../shared/protocol';
import { DirectoryError } from './directory.port';

/** RFC 4511 result codes the agent asks about by name; no other module compares result numbers. */
export const LDAP_RESULT = {
  noSuchObject: 32,
  entryAlreadyExists: 68,
} as const;

/** The directory answered "no such object": the entry, or the parent an add or move needs, is missing. */
export function isNoSuchObject(error: unknown): boolean {
  return error instanceof DirectoryError && error.ldapCode === LDAP_RESULT.noSuchObject;
}

/**
 * The one place LDAP result codes and transport failures become stable error codes.
 * Result codes per RFC 4511; AD's diagnostics refine a few (password policy, UPN uniqueness).
 */
const BY_RESULT_CODE: Record<number, ErrorCode> = {
  3: 'Timeout', // timeLimitExceeded
  4: 'SizeLimitExceeded', // sizeLimitExceeded: the same search hits the same cap again
  8: 'InsufficientAccess', // strongAuthRequired: a configuration fault, not a passing one
  11: 'DirectoryBusy', // adminLimitExceeded
  16: 'UnknownAttribute', // noSuchAttribute
  17: 'UnknownAttribute', // undefinedAttributeType
  19: 'ConstraintViolation',
  20: 'AlreadyExists', // attributeOrValueExists
  21: 'InvalidValue', // invalidAttributeSyntax
  [LDAP_RESULT.noSuchObject]: 'ParentNotFound', // callers that expect an entry read first
  34: 'InvalidValue', // invalidDNSyntax
  49: 'InvalidCredentials',
  50: 'InsufficientAccess',
  51: 'DirectoryBusy',
  52: 'DirectoryUnavailable',
  53: 'UnwillingToPerform',
  64: 'NamingViolation',
  65: 'NamingViolation', // objectClassViolation
  66: 'ConstraintViolation', // notAllowedOnNonLeaf
  67: 'NamingViolation', // notAllowedOnRDN
  [LDAP_RESULT.entryAlreadyExists]: 'AlreadyExists', // entryAlreadyExists
  69: 'NamingViolation', // objectClassModsProhibited
  80: 'Unexpected', // other
};

const TRANSPORT_CODES: Record<string, ErrorCode> = {
  ECONNREFUSED: 'ConnectionFailed',
  ECONNRESET: 'ConnectionFailed',
  EPIPE: 'ConnectionFailed',
  EHOSTUNREACH: 'ConnectionFailed',
  ENETUNREACH: 'ConnectionFailed',
  ENOTFOUND: 'ConnectionFailed',
  EAI_AGAIN: 'ConnectionFailed',
  ETIMEDOUT: 'Timeout',
  ERR_SOCKET_CLOSED: 'ConnectionFailed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TlsVerificationFailed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TlsVerificationFailed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TlsVerificationFailed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TlsVerificationFailed',
  CERT_HAS_EXPIRED: 'TlsVerificationFailed',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TlsVerificationFailed',
};

/** AD diagnostics that name a more precise cause than the result code. */
function refine(code: ErrorCode, diagnostic: string): ErrorCode {
  if (
    diagnostic.startsWith('0000052D') ||
    /check_password_restrictions|password (is too|does not meet)/i.test(diagnostic)
  ) {
    return 'PasswordRejected';
  }
  if (/0000202F|already in use/i.test(diagnostic)) return 'AlreadyExists';
  if (/000020B5|Referenced object not found/i.test(diagnostic)) return 'ParentNotFound';
  return code;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** Classifies anything ldapts or the socket threw. `what` says what was being done (no secrets). */
export function toDirectoryError(error: unknown, what: string): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const e = asRecord(error);
  const text = typeof e.message === 'string' ? e.message : String(error);
  if (typeof e.code === 'number') {
    const diagnostic = text.replace(/\s*Code: 0x[0-9a-f]+$/i, '');
    const code = refine(BY_RESULT_CODE[e.code] ?? 'Unexpected', diagnostic);
    return new DirectoryError(code, `${what}: ${diagnostic} (LDAP ${e.code})`, isRetryable(code), e.code, diagnostic);
  }
  const transport = typeof e.code === 'string' ? TRANSPORT_CODES[e.code] : undefined;
  if (transport) return new DirectoryError(transport, `${what}: ${text}`, isRetryable(transport));
  if (/timeout|timed out/i.test(text)) return new DirectoryError('Timeout', `${what}: ${text}`, true);
  if (/socket|connection|closed|not connected/i.test(text)) {
    return new DirectoryError('ConnectionFailed', `${what}: ${text}`, true);
  }
  return new DirectoryError('Unexpected', `${what}: ${text}`, false);
}
