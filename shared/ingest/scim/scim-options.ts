/**
 * Settings of the SCIM bulk endpoint: its limits, and how a SCIM user becomes a canonical worker where
 * SCIM leaves a choice. Defaults follow Entra's API-driven inbound provisioning, so scripts written for
 * Entra behave the same here.
 */
import { z } from 'zod';
import { customFieldName, EMPLOYEE_TYPES } from '../../worker/worker-schema';

export const scimLimits = z.strictObject({
  /** Operations per request (default 50, Entra's limit). */
  maxOperations: z.number().int().min(1).max(10_000).default(50),
  /** Request body bytes (default 1_048_576). */
  maxPayloadBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1_048_576),
  /**
   * Requests one client (a token's client id) may post per window; more get 429 with `Retry-After`. Entra's
   * is 40 per 5 seconds; absent (the default): no limit, since hr2ad is not a shared service.
   */
  rateLimit: z
    .strictObject({
      requests: z.number().int().min(1).max(1_000_000),
      windowSeconds: z.number().int().min(1).max(86_400),
    })
    .optional(),
});
export type ScimLimits = z.infer<typeof scimLimits>;

/** Entra's usual userType values, and the canonical employee types they mean. */
const DEFAULT_USER_TYPES: Record<string, (typeof EMPLOYEE_TYPES)[number]> = {
  Employee: 'employee',
  Contractor: 'contractor',
  Contingent: 'contractor',
  Intern: 'intern',
  Temporary: 'temporary',
  Temp: 'temporary',
  Other: 'other',
};

export const scimUserMapping = z.strictObject({
  /** What an operation without `active` means: `keep` (default) keeps the worker's stored status (a new worker is active); `disable` treats it as `active: false`. */
  activeOmitted: z.enum(['keep', 'disable']).default('keep'),
  /** SCIM userType → canonical employeeType, matched ignoring case; default Employee→employee, Contractor→contractor, Contingent→contractor, Intern→intern, Temporary/Temp→temporary, Other→other. A userType in neither the map nor the canonical values is an invalidValue error. Absent userType → employee. */
  userTypes: z.record(z.string(), z.enum(EMPLOYEE_TYPES)).default(() => ({ ...DEFAULT_USER_TYPES })),
  /** Extension attribute holding the hire date (default HireDate). */
  hireDateAttribute: customFieldName.default('HireDate'),
  /** Extension attribute holding the last day of work (default LeaveDate). */
  leaveDateAttribute: customFieldName.default('LeaveDate'),
});
export type ScimUserMapping = z.infer<typeof scimUserMapping>;
