/**
 * The exit codes of every hr2ad-agent command, in one place: the help texts are written from this table,
 * and the tests check each code. A code's meaning never changes; a new case gets a new code.
 */
export const AGENT_EXIT = {
  /** Done; nothing needs attention. */
  ok: 0,
  /** The configuration, the key file or an input is invalid or unreadable. */
  invalidInput: 1,
  /** The command line is wrong: unknown option, missing argument, bad option value. */
  usage: 2,
  /** doctor: at least one check failed. */
  checkFailed: 3,
  /** status: the agent is not running (no live process with a fresh heartbeat). */
  notRunning: 4,
  /** run: the relay could not start (Service Bus, journal, directory settings), or stopped on an error. */
  startFailed: 5,
  /** hr2ad-agent itself failed: a bug, reported with its stack. */
  internal: 70,
} as const;

export type AgentExitCode = (typeof AGENT_EXIT)[keyof typeof AGENT_EXIT];

/** The table as help text. */
export const AGENT_EXIT_CODES_HELP = `Exit codes:
  0   done; nothing needs attention
  1   the configuration, the key file or an input is invalid or unreadable
  2   usage error: unknown option, missing argument, bad option value
  3   doctor: at least one check failed (each failure is shown with its remedy)
  4   status: the agent is not running (no live process with a fresh heartbeat)
  5   run: the relay could not start, or stopped on an error
  70  internal error in hr2ad-agent (a bug; please report it with the stack shown)`;
