/**
 * The mapping configuration document (version 1): how HR workers become AD accounts. It is JSON an
 * administrator edits (with the published JSON Schema for editor help); every object rejects unknown
 * keys so a typo is an error, not a silently ignored setting. Defaults are the values documented on
 * each field; `defaults.ts` ships a complete document equivalent to Entra's Workday-to-AD defaults.
 */
import { z } from 'zod';
import { tryParseDn } from '../../directory/dn';
import { attributeName } from '../../protocol/commands';
import { customFieldName } from '../../worker/worker-schema';
import { SCOPING_OPERATORS } from './scoping-operators';

export const MAPPING_CONFIG_VERSION = 1;

/** Expression text in Entra's language; at most 10,000 characters, as in Entra. */
const expressionText = z.string().min(1, 'may not be empty').max(10_000, 'Entra caps expressions at 10,000 characters');

/** A distinguished name, checked for RFC 4514 syntax. */
const distinguishedName = z
  .string()
  .min(3)
  .max(2048)
  .superRefine((value, ctx) => {
    const dn = tryParseDn(value);
    if (!dn || dn.length === 0)
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not a distinguished name (e.g. OU=Users,DC=corp,DC=example)`,
      });
  });

/** The name of an attribute of the worker (built-in such as `Department`, or a custom field). */
const workerAttribute = customFieldName;

/** When a mapping is written: Entra's "Apply this mapping". */
export const APPLY_MODES = ['always', 'on-create'] as const;
export type ApplyMode = (typeof APPLY_MODES)[number];

const mappingCommon = {
  /** The AD attribute written (LDAP display name, e.g. `department`). */
  target: attributeName,
  /** `always` (default) keeps AD equal to HR on every change; `on-create` writes it once. */
  apply: z.enum(APPLY_MODES).default('always'),
  /** Written instead when the mapping evaluates to null or empty (Entra's "Default value if null"). */
  defaultValue: z.string().min(1).nullable().default(null),
  /**
   * Makes this a matching attribute: accounts are found by it, lowest precedence first, and the first
   * that finds an account decides (Entra's "Match objects using this attribute" + "Matching precedence").
   */
  matchingPrecedence: z.number().int().min(1).max(8).nullable().default(null),
};

export const directMapping = z.strictObject({
  type: z.literal('direct'),
  /** The worker attribute copied as is. */
  source: workerAttribute,
  ...mappingCommon,
});

export const constantMapping = z.strictObject({
  type: z.literal('constant'),
  value: z.string().min(1),
  ...mappingCommon,
});

export const expressionMapping = z.strictObject({
  type: z.literal('expression'),
  expression: expressionText,
  ...mappingCommon,
});

export const attributeMapping = z.discriminatedUnion('type', [directMapping, constantMapping, expressionMapping]);
export type AttributeMapping = z.infer<typeof attributeMapping>;

/** Operators that take no value. */
export const UNARY_OPERATORS: ReadonlySet<string> = new Set(['IS TRUE', 'IS FALSE', 'IS NULL', 'IS NOT NULL']);
/** Operators that compare integers. */
export const INTEGER_OPERATORS: ReadonlySet<string> = new Set([
  'Greater_Than',
  'Greater_Than_OR_EQUALS',
  'Less_Than',
  'Less_Than_OR_EQUALS',
]);

export const scopingClause = z
  .strictObject({
    /** The worker attribute tested. */
    attribute: workerAttribute,
    operator: z.enum(SCOPING_OPERATORS),
    /** The value compared against; absent for IS TRUE / IS FALSE / IS NULL / IS NOT NULL. */
    value: z.string().optional(),
  })
  .superRefine((clause, ctx) => {
    if (UNARY_OPERATORS.has(clause.operator)) {
      if (clause.value !== undefined)
        ctx.addIssue({ code: 'custom', path: ['value'], message: `${clause.operator} takes no value` });
    } else if (clause.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${clause.operator} needs a value` });
    } else if (INTEGER_OPERATORS.has(clause.operator) && !/^-?\d{1,15}$/.test(clause.value)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `${clause.operator} compares integers; "${clause.value}" is not one`,
      });
    }
  });
export type ScopingClause = z.infer<typeof scopingClause>;

/** One filter: all its clauses must hold (AND). */
export const scopingFilter = z.strictObject({
  /** A title for messages and previews. */
  name: z.string().min(1).max(200).optional(),
  clauses: z.array(scopingClause).min(1).max(50),
});
export type ScopingFilter = z.infer<typeof scopingFilter>;

/** Several filters: any one of them admits the worker (OR). No filter means everyone. */
const filters = z.array(scopingFilter).max(50);

export const groupRule = z.strictObject({
  /** The managed AD group. hr2ad only ever adds members to, and removes members from, groups named here. */
  group: distinguishedName,
  /** The worker belongs in the group when any filter holds. */
  when: filters.min(1),
});
export type GroupRule = z.infer<typeof groupRule>;

export const TIME_ZONE_SOURCES = ['worker', 'location', 'worker-then-location'] as const;

export const mappingConfigSchema = z.strictObject({
  /** For editors: the JSON Schema this document follows. Ignored by hr2ad. */
  $schema: z.string().optional(),
  version: z.literal(MAPPING_CONFIG_VERSION),
  /** Attribute mappings; at least one must be a matching attribute. */
  attributeMappings: z.array(attributeMapping).min(1).max(200),
  /**
   * The OU every account belongs in, as an expression giving a DN (Entra's parentDistinguishedName),
   * e.g. `Switch([Location], "OU=Users,DC=corp,DC=example", "Paris", "OU=Paris,OU=Users,DC=corp,DC=example")`.
   */
  parentOu: expressionText,
  /** Where leavers' disabled accounts go (when `leaver.moveToDisabledOu`). */
  disabledOu: distinguishedName,
  /**
   * The values AD must keep unique, each an expression giving a SelectUniqueValue candidate list (or a
   * single value); the agent takes the first candidate not in use. Chosen on create only, unless `apply`
   * says `always` for the attribute.
   */
  uniqueValues: z.strictObject({
    sAMAccountName: expressionText,
    userPrincipalName: expressionText,
    /** The account's RDN; it follows name changes (the agent renames when the current cn is no longer a candidate). */
    cn: expressionText,
    /** Optional: when given, mail is chosen from candidates on create and may not also be mapped. */
    mail: expressionText.optional(),
    /**
     * Per attribute, `on-create` (default, as Entra) or `always`: the value follows a name change. The
     * agent keeps the current value while it is still one of the candidates (no churn) and otherwise takes
     * the first free one. cn always follows.
     */
    apply: z
      .strictObject({
        sAMAccountName: z.enum(APPLY_MODES).default('on-create'),
        userPrincipalName: z.enum(APPLY_MODES).default('on-create'),
        mail: z.enum(APPLY_MODES).default('on-create'),
      })
      .prefault({}),
  }),
  scoping: z
    .strictObject({
      /** Workers in scope (ORed filters of ANDed clauses); empty means every worker. */
      filters: filters.default([]),
      /**
       * What happens to the account of a worker who falls out of scope: `ignore` (default; hr2ad stops
       * managing it and leaves it as it is, like Entra's SkipOutOfScopeDeletions) or `disable`.
       */
      outOfScope: z.enum(['ignore', 'disable']).default('ignore'),
    })
    .prefault({}),
  /** Managed groups, each with the HR condition for membership. */
  groups: z.array(groupRule).max(500).default([]),
  /** Whether the manager attribute follows HR (`follow`, default) or is left alone (`ignore`). */
  manager: z.enum(['follow', 'ignore']).default('follow'),
  joiner: z
    .strictObject({
      /**
       * Create a future hire's account (disabled) this many days before the start date; null (default)
       * creates it as soon as HR has the record. It is enabled at the start of the first local day.
       */
      createDaysBeforeStart: z.number().int().min(0).max(365).nullable().default(null),
      /** Length of the generated first password (default 20). */
      passwordLength: z.number().int().min(8).max(128).default(20),
      /** Make the user choose a password at first logon (default true). */
      mustChangePasswordAtFirstLogon: z.boolean().default(true),
    })
    .prefault({}),
  /**
   * A worker on leave of absence (employmentStatus `on-leave`): `keep-enabled` (default; the account
   * stays as it is) or `disable` (disabled while on leave, enabled again on return).
   */
  leaveOfAbsence: z.enum(['keep-enabled', 'disable']).default('keep-enabled'),
  leaver: z
    .strictObject({
      /** Move the disabled account to `disabledOu` (default true). */
      moveToDisabledOu: z.boolean().default(true),
      /** Take the account out of every managed group when disabled (default true). */
      removeFromGroups: z.boolean().default(true),
      /** Delete the account this many days after the last day of work; null (default) never deletes. */
      deleteAfterDays: z.number().int().min(0).max(3650).nullable().default(null),
      /** A hire rescinded after the account was created: disable it (default) or delete it. */
      rescindedHire: z.enum(['disable', 'delete']).default('disable'),
    })
    .prefault({}),
  rehire: z
    .strictObject({
      /**
       * The worker attribute that holds a rehired or converted worker's previous id (default
       * `PreviousWorkerID`); their old account is found by it and reused. Null turns this off.
       */
      previousIdAttribute: workerAttribute.nullable().default('PreviousWorkerID'),
      /** Also reuse the account of a former worker whose matching attribute values equal the new record's (default true). */
      matchOnAttributes: z.boolean().default(true),
    })
    .prefault({}),
  timeZone: z
    .strictObject({
      /** Where a worker's zone comes from (default: the worker's own, else their location's). */
      source: z.enum(TIME_ZONE_SOURCES).default('worker-then-location'),
      /** Location → IANA zone (location names compare case-insensitively). */
      locations: z.record(z.string().min(1), z.string()).default({}),
      /** The zone when nothing else gives one (default UTC). */
      default: z.string().default('UTC'),
    })
    .prefault({}),
  thresholds: z
    .strictObject({
      /**
       * A cycle whose new plans would disable or delete more existing accounts than this is held for
       * approval (Entra's accidental-deletion threshold). `maxCount` default 50; `maxPercent` (of the
       * accounts hr2ad manages) default null, i.e. off: in a small organisation a percentage holds
       * ordinary leavers. Either limit, when set, holds on its own.
       */
      disableOrDelete: z
        .strictObject({
          maxCount: z.number().int().min(0).nullable().default(50),
          maxPercent: z.number().min(0).max(100).nullable().default(null),
        })
        .prefault({}),
    })
    .prefault({}),
});

/** The document as written (defaults may be left out). */
export type MappingConfigInput = z.input<typeof mappingConfigSchema>;
/** The document with every default filled in. */
export type MappingConfig = z.infer<typeof mappingConfigSchema>;
