import { z } from 'zod';
import { ERROR_CODE_NAMES } from './error-codes';
import { attributeValue } from './commands';

/** What one attribute looked like before and after the command. */
export const attributeChange = z.strictObject({
  attribute: z.string(),
  before: attributeValue,
  after: attributeValue,
});
export type AttributeChange = z.infer<typeof attributeChange>;

/** Something the command asked for that could not be done yet, and will be on a later delivery. */
export const pendingItem = z.discriminatedUnion('kind', [
  /** The manager's account does not exist yet; re-deliver when it does. */
  z.strictObject({ kind: z.literal('ManagerNotFound'), attribute: z.string(), value: z.string() }),
]);
export type PendingItem = z.infer<typeof pendingItem>;

const resultEnvelope = {
  commandId: z.string(),
  workerKey: z.string(),
  sequence: z.number().int(),
};

/** The account as the command left it. */
const accountRef = {
  dn: z.string(),
  /** objectGUID in its canonical string form. */
  objectGUID: z.string(),
};

export const appliedResult = z.strictObject({
  kind: z.literal('Applied'),
  ...resultEnvelope,
  ...accountRef,
  created: z.boolean(),
  deleted: z.boolean(),
  changes: z.array(attributeChange),
  moved: z.strictObject({ from: z.string(), to: z.string() }).optional(),
  /**
   * The unique values the agent chose from the candidates: all of them on create; on update those it
   * changed (a cn rename, or an attribute in `unique.follow` that took a new value).
   */
  chosen: z.record(z.string(), z.string()),
  groupsAdded: z.array(z.string()),
  groupsRemoved: z.array(z.string()),
  pending: z.array(pendingItem),
});
export type AppliedResult = z.infer<typeof appliedResult>;

export const noChangeResult = z.strictObject({
  kind: z.literal('NoChange'),
  ...resultEnvelope,
  /** Absent when the account is already gone (a delete delivered twice). */
  dn: z.string().optional(),
  objectGUID: z.string().optional(),
  pending: z.array(pendingItem),
});
export type NoChangeResult = z.infer<typeof noChangeResult>;

export const failedResult = z.strictObject({
  kind: z.literal('Failed'),
  ...resultEnvelope,
  code: z.enum(ERROR_CODE_NAMES),
  retryable: z.boolean(),
  /** Names the field at fault; never contains secrets. */
  message: z.string(),
  /** The command field or directory attribute at fault, when there is one. */
  field: z.string().optional(),
});
export type FailedResult = z.infer<typeof failedResult>;

/** The answer to LookupAccount. */
export const lookupResult = z.strictObject({
  kind: z.literal('LookedUp'),
  ...resultEnvelope,
  account: z
    .strictObject({
      ...accountRef,
      enabled: z.boolean(),
      attributes: z.record(z.string(), attributeValue),
    })
    .nullable(),
});
export type LookupResult = z.infer<typeof lookupResult>;

export const commandResult = z.discriminatedUnion('kind', [appliedResult, noChangeResult, failedResult, lookupResult]);
export type CommandResult = z.infer<typeof commandResult>;
