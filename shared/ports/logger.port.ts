/**
 * Structured fields of one log event (or bound to a child logger). They must never carry secrets: no
 * passwords, keys, tokens or credentials, not even in part. Log DNs, codes, ids and counts, not values
 * of secret attributes. Adapters also redact fields whose names look secret, as a second line of defence,
 * not as a licence to pass them.
 */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The structured logging port. Every part of hr2ad that logs takes one; composition roots choose the
 * adapter (JSON lines through pino in the agent, a silent one in tests). Messages are constant text that
 * says what happened; what varies goes into `fields`, so events can be searched and counted.
 */
export interface Logger {
  /** Detail for diagnosing a problem; off unless the host turns it on. */
  debug(message: string, fields?: LogFields): void;
  /** Something that happened as it should (a command applied). */
  info(message: string, fields?: LogFields): void;
  /** Something that went wrong for one item and was handled (a command failed, an insecure connection). */
  warn(message: string, fields?: LogFields): void;
  /** Something that stops the component from doing its job. */
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every event it logs (e.g. `{ commandId }`); same rule: no secrets. */
  child(bindings: LogFields): Logger;
}
