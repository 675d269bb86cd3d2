/**
 * Validation of SelectUniqueValue candidates against the target attribute's AD rules.
 *
 * The directory agent tries candidates in order and takes the first one not already in
 * use. A candidate AD would reject must not be tried (it would fail the whole create), so
 * invalid candidates are reported up front and filtered out.
 */
import { checkAdAttributeValue } from '../../directory/ad-attribute-rules';

export interface CandidateIssue {
  /** 0-based position in the candidate list. */
  readonly index: number;
  readonly value: string;
  readonly reason: string;
}

export interface CandidateValidation {
  /** Candidates AD would accept, in their original order. */
  readonly valid: readonly string[];
  /** One entry per rejected candidate, plus one with index -1 if nothing is left to try. */
  readonly issues: readonly CandidateIssue[];
}

/**
 * Checks each candidate for `targetAttribute` (e.g. sAMAccountName: at most 20 characters
 * and no `" / \ [ ] : ; | = , + * ? < >`). Duplicates are reported because the second copy
 * could never succeed where the first failed (AD compares these attributes case-insensitively).
 */
export function validateCandidates(targetAttribute: string, values: readonly string[]): CandidateValidation {
  const valid: string[] = [];
  const issues: CandidateIssue[] = [];
  const seen = new Set<string>();
  values.forEach((value, index) => {
    const reason = checkAdAttributeValue(targetAttribute, value);
    if (reason !== null) {
      issues.push({ index, value, reason: `Candidate ${index + 1} "${value}": ${reason}` });
      return;
    }
    const key = value.toLowerCase();
    if (seen.has(key)) {
      issues.push({
        index,
        value,
        reason: `Candidate ${index + 1} "${value}" repeats an earlier candidate (AD compares ${targetAttribute} case-insensitively).`,
      });
      return;
    }
    seen.add(key);
    valid.push(value);
  });
  if (valid.length === 0) {
    issues.push({
      index: -1,
      value: '',
      reason:
        values.length === 0
          ? `SelectUniqueValue produced no candidates for ${targetAttribute}: every rule was empty.`
          : `None of the ${values.length} candidates is a valid ${targetAttribute}.`,
    });
  }
  return { valid, issues };
}
