/**
 * SCIM errors (RFC 7644 §3.12) as the bulk endpoint reports them: one per refused request or failed
 * operation, naming the attribute at fault. Details quote HR values only through `quoted`, which shows
 * them escaped and shortened, so a value can neither forge a line of a log or a report nor fill one.
 */
import { displayText } from '../../util/display-text';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The `scimType` values of RFC 7644 §3.12, Table 9. */
export type ScimType =
  | 'invalidSyntax'
  | 'invalidValue'
  | 'tooMany'
  | 'uniqueness'
  | 'invalidPath'
  | 'noTarget'
  | 'mutability'
  | 'invalidVers'
  | 'sensitive';

/** One SCIM error (RFC 7644 §3.12). `attribute`: the SCIM attribute path at fault (`name.familyName`, `urn:…:enterprise:2.0:User:manager.value`), when one is. */
export interface ScimError {
  readonly status: number;
  readonly scimType: ScimType | null;
  readonly detail: string;
  readonly attribute: string | null;
}

/** The RFC 7644 error body: { schemas:[SCIM_ERROR_SCHEMA], status:"400" (a string, as the RFC shows), scimType?, detail } */
export function scimErrorBody(error: ScimError): Record<string, unknown> {
  return {
    schemas: [SCIM_ERROR_SCHEMA],
    status: String(error.status),
    ...(error.scimType ? { scimType: error.scimType } : {}),
    detail: error.detail,
  };
}

/** Longest HR value a detail quotes, in characters; longer ones are cut with "…". */
const QUOTE_LIMIT = 40;
/** Longest attribute name (they come from the request too) a detail or `attribute` carries. */
const NAME_LIMIT = 120;

function shortened(text: string, limit: number): string {
  const chars = Array.from(text);
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}

/** An HR value for a detail: in quotes, escaped by `displayText`, at most 40 characters. */
export function quoted(value: string): string {
  return `"${displayText(shortened(value, QUOTE_LIMIT))}"`;
}

/** An attribute name taken from the request (an extension URN, a custom attribute), safe to print. */
export function attributeText(name: string): string {
  return displayText(shortened(name, NAME_LIMIT));
}

/** A 400 error on `attribute` (or on the request as a whole when null); the detail starts with the attribute. */
export function badRequest(scimType: ScimType, attribute: string | null, problem: string): ScimError {
  return { status: 400, scimType, attribute, detail: attribute ? `${attribute}: ${problem}` : problem };
}
