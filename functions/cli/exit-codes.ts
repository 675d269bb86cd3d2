/**
 * The exit codes of every hr2ad command, in one place: the help texts and the README are written from
 * this table, and the tests check each code. A code's meaning never changes; a new case gets a new code.
 */
export const EXIT = {
  /** Done; nothing needs attention. */
  ok: 0,
  /** An input or the configuration is invalid or unreadable (or the expression fails). */
  invalidInput: 1,
  /** The command line is wrong: unknown option, missing argument, bad option value. */
  usage: 2,
  /** Done, but some HR records are quarantined (listed in the report). */
  quarantined: 3,
  /** Done, but destructive plans are held for approval (takes precedence over 3). */
  held: 4,
  /** The control plane is running in another process (`hr2ad run`), and the command needs its store to itself. */
  busy: 5,
  /** hr2ad itself failed: a bug, reported with its stack. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The table as help text. */
export const EXIT_CODES_HELP = `Exit codes:
  0   done; nothing needs attention (also when the reader of the output, e.g. head, stops early)
  1   an input or the configuration is invalid or unreadable (expr: the expression fails)
  2   usage error: unknown option, missing argument, bad option value
  3   preview/sync done, but some records are quarantined (listed in the report)
  4   preview/sync done, but destructive plans are held for approval (wins over 3)
  5   the control plane is running in another process (hr2ad run); sync needs its store to itself
  70  internal error in hr2ad (a bug; please report it with the stack shown)`;
