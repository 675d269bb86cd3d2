/**
 * .NET `DateTimeStyles` flags accepted by FormatDateTime's second parameter.
 */

export interface DateTimeStyles {
  readonly allowLeadingWhite: boolean;
  readonly allowTrailingWhite: boolean;
  readonly allowInnerWhite: boolean;
  readonly noCurrentDateDefault: boolean;
  readonly adjustToUniversal: boolean;
  readonly assumeLocal: boolean;
  readonly assumeUniversal: boolean;
  readonly roundtripKind: boolean;
}

/** Entra's documented default when the parameter is left empty. */
export const DEFAULT_DATE_TIME_STYLES: DateTimeStyles = {
  allowLeadingWhite: true,
  allowTrailingWhite: true,
  allowInnerWhite: false,
  noCurrentDateDefault: false,
  adjustToUniversal: false,
  assumeLocal: false,
  assumeUniversal: false,
  roundtripKind: true,
};

const FLAG_VALUES: Readonly<Record<string, number>> = {
  none: 0,
  allowleadingwhite: 1,
  allowtrailingwhite: 2,
  allowinnerwhite: 4,
  allowwhitespaces: 7,
  nocurrentdatedefault: 8,
  adjusttouniversal: 16,
  assumelocal: 32,
  assumeuniversal: 64,
  roundtripkind: 128,
};

/**
 * Parses a styles value: flag names separated by commas or `|` (optionally prefixed with
 * `DateTimeStyles.`), or the numeric flag value. Empty means Entra's default.
 */
export function parseDateTimeStyles(text: string | null): DateTimeStyles | string {
  if (text === null || text.trim() === '') return DEFAULT_DATE_TIME_STYLES;
  let bits = 0;
  if (/^\s*\d+\s*$/.test(text)) {
    bits = Number(text);
    if (bits > 255) return `DateTimeStyles value ${bits} is not valid`;
  } else {
    for (const part of text.split(/[,|]/)) {
      const name = part
        .trim()
        .replace(/^(System\.Globalization\.)?DateTimeStyles\./i, '')
        .toLowerCase();
      const value = FLAG_VALUES[name];
      if (value === undefined)
        return `"${part.trim()}" is not a DateTimeStyles value (expected e.g. RoundtripKind, AdjustToUniversal, AllowWhiteSpaces)`;
      bits |= value;
    }
  }
  const has = (flag: number): boolean => (bits & flag) === flag;
  const styles: DateTimeStyles = {
    allowLeadingWhite: has(1),
    allowTrailingWhite: has(2),
    allowInnerWhite: has(4),
    noCurrentDateDefault: has(8),
    adjustToUniversal: has(16),
    assumeLocal: has(32),
    assumeUniversal: has(64),
    roundtripKind: has(128),
  };
  // .NET rejects these combinations with an ArgumentException; so do we.
  if (styles.roundtripKind && (styles.adjustToUniversal || styles.assumeLocal || styles.assumeUniversal)) {
    return 'RoundtripKind cannot be combined with AdjustToUniversal, AssumeLocal or AssumeUniversal';
  }
  if (styles.assumeLocal && styles.assumeUniversal) return 'AssumeLocal and AssumeUniversal cannot be combined';
  return styles;
}
