import { z } from 'zod';

/**
 * The command protocol between the control plane and the directory agent. Commands are declarative
 * ("this worker's account should look like this") and idempotent: delivering one twice changes nothing
 * the second time. Versioned: an agent refuses a version it does not speak.
 *
 * - Protocol 1: the first version.
 * - Protocol 2: adds `unique.follow` (unique values that follow the candidates on update). A command that
 *   uses no protocol-2 feature is sent as protocol 1 (see {@link protocolVersionFor}), so agents that only
 *   speak protocol 1 keep working.
 */
export const PROTOCOL_VERSION = 2;

/** Every version this code decodes; a command in another version is refused as UnsupportedVersion. */
export const SUPPORTED_PROTOCOL_VERSIONS = [1, 2] as const;
export type ProtocolVersion = (typeof SUPPORTED_PROTOCOL_VERSIONS)[number];

export function isSupportedProtocolVersion(value: unknown): value is ProtocolVersion {
  return (SUPPORTED_PROTOCOL_VERSIONS as readonly unknown[]).includes(value);
}

const nonEmpty = z.string().min(1);
const isoInstant = z.iso.datetime({ offset: true });

/** Where a DN is given; syntax is checked by the agent, which parses every DN it uses. */
const distinguishedName = z.string().min(3).max(2048);

/** An LDAP attribute description: letters, digits and hyphens, starting with a letter. */
export const attributeName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'must be an LDAP attribute name (letters, digits, hyphens)');

/**
 * A desired attribute value. A string or a list of strings sets it; null (or an empty string or list)
 * clears it — AD rejects empty strings, so emptiness always means "no value".
 */
export const attributeValue = z.union([z.string(), z.array(z.string()), z.null()]);
export type AttributeValue = z.infer<typeof attributeValue>;

export const attributeMap = z.record(attributeName, attributeValue);
export type AttributeMap = z.infer<typeof attributeMap>;

/** One way to find a worker's account: an attribute and the value it must hold. */
export const matchKey = z.strictObject({ attribute: attributeName, value: nonEmpty });
export type MatchKey = z.infer<typeof matchKey>;

/** Match keys in precedence order: the first key that finds an account decides. */
const matchKeys = z.array(matchKey).min(1).max(8);

/** Fields every command carries. */
const envelope = {
  /** The protocol version the command is written in: the lowest that has every feature it uses. */
  protocol: z.literal(SUPPORTED_PROTOCOL_VERSIONS),
  /** Unique per command; results and audit records refer to it. */
  commandId: nonEmpty.max(128),
  /** The worker the command is about: `<hr source>:<hr id>`; also the Service Bus session id. */
  workerKey: nonEmpty.max(256),
  /** Per-worker order: a later command for the same worker has a higher sequence number. */
  sequence: z.number().int().nonnegative(),
  issuedAt: isoInstant,
  /** After this instant the agent refuses the command (Expired) instead of applying stale intent. */
  expiresAt: isoInstant,
  match: matchKeys,
};

/** The unique attributes that can follow their candidates on update (cn always does). */
export const FOLLOWING_UNIQUE_ATTRIBUTES = ['sAMAccountName', 'userPrincipalName', 'mail'] as const;
export type FollowingUniqueAttribute = (typeof FOLLOWING_UNIQUE_ATTRIBUTES)[number];

/**
 * Ordered candidates for the values the directory must keep unique. On create the agent takes the first
 * free one of each; on update only cn and the attributes named in `follow` change.
 */
export const uniqueValueCandidates = z
  .strictObject({
    sAMAccountName: z.array(nonEmpty).min(1).max(64),
    userPrincipalName: z.array(nonEmpty).min(1).max(64),
    cn: z.array(nonEmpty).min(1).max(64),
    mail: z.array(nonEmpty).min(1).max(64).optional(),
    /**
     * Unique attributes that follow the candidates on update (protocol 2): the agent keeps the current value
     * while it is still one of the candidates (no churn) and otherwise takes the first free one. cn always
     * follows.
     */
    follow: z
      .array(z.enum(FOLLOWING_UNIQUE_ATTRIBUTES))
      .max(FOLLOWING_UNIQUE_ATTRIBUTES.length)
      .refine((list) => new Set(list).size === list.length, 'must not name an attribute twice')
      .meta({
        uniqueItems: true,
        description:
          'Unique attributes that follow the candidates on update (protocol 2): the agent keeps the current value while it is still one of the candidates (no churn) and otherwise takes the first free one. cn always follows.',
      })
      .optional(),
  })
  .refine((u) => !u.follow?.includes('mail') || u.mail !== undefined, {
    message: 'mail can follow only when mail candidates are given',
    path: ['follow'],
  });
export type UniqueValueCandidates = z.infer<typeof uniqueValueCandidates>;

/** How a new account gets its first password. Existing accounts' passwords are never touched. */
export const passwordPolicy = z.strictObject({
  kind: z.literal('generated'),
  /** Length of the generated temporary password (default 20). */
  length: z.number().int().min(8).max(128).default(20),
  /** Set pwdLastSet=0 so the user must choose a password at first logon (default true). */
  mustChangeAtNextLogon: z.boolean().default(true),
});
export type PasswordPolicy = z.infer<typeof passwordPolicy>;

/** Group membership the agent manages: only groups in `managed` are ever added to or removed from. */
export const groupMembership = z
  .strictObject({
    managed: z.array(distinguishedName).max(1000),
    memberOf: z.array(distinguishedName).max(1000),
  })
  .refine((g) => g.memberOf.every((dn) => g.managed.some((m) => m.toLowerCase() === dn.toLowerCase())), {
    message: 'every group in memberOf must also be in managed',
    path: ['memberOf'],
  });
export type GroupMembership = z.infer<typeof groupMembership>;

export const upsertAccount = z
  .strictObject({
    kind: z.literal('UpsertAccount'),
    ...envelope,
    /** The OU the account belongs in; the account is created here or moved here. */
    parentOu: distinguishedName,
    attributes: z.strictObject({
      /** Kept equal to HR on every apply. */
      always: attributeMap,
      /** Written when the account is created, never afterwards (identifiers, initial values). */
      onCreate: attributeMap,
    }),
    unique: uniqueValueCandidates,
    /** Whether the account should be enabled (userAccountControl 512) or disabled (514). */
    enabled: z.boolean(),
    password: passwordPolicy,
    /** The manager, given by the manager's own match key; null clears it; absent leaves it alone. */
    manager: matchKey.nullable().optional(),
    groups: groupMembership.optional(),
  })
  .superRefine((command, ctx) => {
    if (command.protocol < 2 && command.unique.follow !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['unique', 'follow'],
        message: `needs protocol 2 (the command says protocol ${command.protocol})`,
      });
    }
  });
export type UpsertAccount = z.infer<typeof upsertAccount>;

export const disableAccount = z.strictObject({
  kind: z.literal('DisableAccount'),
  ...envelope,
  /** Move the disabled account here (the disabled-users OU), if given. */
  moveTo: distinguishedName.optional(),
});
export type DisableAccount = z.infer<typeof disableAccount>;

export const enableAccount = z.strictObject({
  kind: z.literal('EnableAccount'),
  ...envelope,
  /** Move the account back here (its regular OU), if given. */
  moveTo: distinguishedName.optional(),
});
export type EnableAccount = z.infer<typeof enableAccount>;

export const deleteAccount = z.strictObject({
  kind: z.literal('DeleteAccount'),
  ...envelope,
});
export type DeleteAccount = z.infer<typeof deleteAccount>;

/** Read-only: what the account looks like now, for previews and adopting existing accounts. */
export const lookupAccount = z.strictObject({
  kind: z.literal('LookupAccount'),
  ...envelope,
  attributes: z.array(attributeName).max(200).default([]),
});
export type LookupAccount = z.infer<typeof lookupAccount>;

export const directoryCommand = z.discriminatedUnion('kind', [
  upsertAccount,
  disableAccount,
  enableAccount,
  deleteAccount,
  lookupAccount,
]);
/** A command as decoded and defaulted. */
export type DirectoryCommand = z.infer<typeof directoryCommand>;
/** A command as the control plane writes it (defaults may be left out). */
export type DirectoryCommandInput = z.input<typeof directoryCommand>;
export type CommandKind = DirectoryCommand['kind'];

/** The parts of a command that decide which protocol version it needs. */
export interface ProtocolFeatures {
  readonly kind: CommandKind;
  readonly unique?: { readonly follow?: readonly FollowingUniqueAttribute[] | undefined };
}

/**
 * The lowest protocol version that can carry `command`: 1 when it uses no protocol-2 feature, else 2.
 * The planner writes this into `protocol`, so an agent that speaks only protocol 1 keeps receiving
 * commands it can decode. `unique.follow` is a protocol-2 feature even when empty: a protocol-1 agent
 * refuses the unknown field.
 */
export function protocolVersionFor(command: ProtocolFeatures): ProtocolVersion {
  if (command.kind === 'UpsertAccount' && command.unique?.follow !== undefined) return 2;
  return 1;
}
