/**
 * The Azure app's logger: one JSON object per line on standard output, which the Functions host collects
 * into its logs (and Application Insights). Fields pass through the shared censor (secret-looking names
 * redacted, HR text escaped), as in the agent's pino logger; pino itself stays in the agent.
 */
import type { LogFields, Logger } from '../../shared/ports/logger.port';
import { censorSecrets } from '../../shared/util/log-censor';
import { displayText } from '../../shared/util/display-text';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonConsoleLoggerOptions {
  /** Lowest level written (default `info`). */
  readonly level?: LogLevel;
  /** Where each line goes (default standard output). */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

function fieldsOf(fields: LogFields): Record<string, unknown> {
  const entries = Object.entries(fields).map(([key, value]) => [
    key,
    value instanceof Error ? { name: value.name, message: value.message } : value,
  ]);
  return censorSecrets(Object.fromEntries(entries)) as Record<string, unknown>;
}

export function createJsonConsoleLogger(options: JsonConsoleLoggerOptions = {}, bindings: LogFields = {}): Logger {
  const threshold = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const log = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (RANK[level] < threshold) return;
    const line = {
      time: now().toISOString(),
      level,
      message: displayText(message),
      ...fieldsOf(bindings),
      ...fieldsOf(fields ?? {}),
    };
    write(JSON.stringify(line));
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (more) => createJsonConsoleLogger(options, { ...bindings, ...more }),
  };
}
