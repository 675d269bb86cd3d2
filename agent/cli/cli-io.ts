/**
 * What an hr2ad-agent command touches outside itself, injected so commands are tested by calling them,
 * without a process. The composition root (hr2ad-agent.ts) binds it to the real process.
 */
export interface AgentCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input, whole (a secret piped in). */
  readStdin(): Promise<string>;
  /** Asks for a secret without echo; present only when standard input is a terminal. */
  readonly promptSecret?: (question: string) => Promise<string>;
  now(): Date;
  /** Whether standard error is a terminal: readable logs there, JSON lines elsewhere. */
  readonly terminal?: boolean;
  /** Resolves with the signal's name when the process is asked to stop (SIGINT, SIGTERM); for `run`. */
  readonly stopRequested?: () => Promise<string>;
  /** The environment, for secrets configured as `{ "env": NAME }`. */
  readonly env: Readonly<Record<string, string | undefined>>;
}
