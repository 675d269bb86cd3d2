import { checkAdAttributeValue } from '../../shared/directory/ad-attribute-rules';
import { reservedAttributeReason } from '../../shared/directory/reserved-attributes';
import type { AttributeMap, UpsertAccount } from '../../shared/protocol';
import { ApplyFailure } from './apply-failure';
import { toValues } from './attribute-values';

/**
 * AD's rules, checked before anything is written, also where Samba is lenient: a value the directory would
 * refuse (or, worse, accept against AD's rules) fails the command naming the field.
 */
function checkValue(attribute: string, value: string, field: string): void {
  const problem = checkAdAttributeValue(attribute, value);
  if (problem) throw new ApplyFailure('InvalidValue', `${field}: ${problem}`, field);
}

function validateAttributes(map: AttributeMap, field: string): void {
  for (const [attribute, value] of Object.entries(map)) {
    if (reservedAttributeReason(attribute) !== undefined) {
      throw new ApplyFailure(
        'InvalidValue',
        `${field}.${attribute}: set through the command's own fields, not as an attribute`,
        `${field}.${attribute}`,
      );
    }
    for (const v of toValues(value)) checkValue(attribute, v, `${field}.${attribute}`);
  }
}

/** Refuses an UpsertAccount whose attributes or unique-value candidates break AD's rules. */
export function validateUpsert(command: UpsertAccount): void {
  validateAttributes(command.attributes.always, 'attributes.always');
  validateAttributes(command.attributes.onCreate, 'attributes.onCreate');
  const mailMapped = 'mail' in command.attributes.always || 'mail' in command.attributes.onCreate;
  if (command.unique.mail && mailMapped) {
    throw new ApplyFailure(
      'InvalidValue',
      'attributes: mail is chosen from unique.mail and may not also be mapped',
      'attributes.mail',
    );
  }
  for (const attribute of ['sAMAccountName', 'userPrincipalName', 'cn', 'mail'] as const) {
    for (const [i, candidate] of (command.unique[attribute] ?? []).entries()) {
      checkValue(attribute, candidate, `unique.${attribute}[${i}]`);
    }
  }
}
