import pino, { type DestinationStream, type Level, type Logger as Pino } from 'pino';
import type { LogFields, Logger } from '../../shared/ports/logger.port';
import { displayText } from '../../shared/util/display-text';
import { CENSORED, censorSecrets } from '../../shared/util/log-censor';

/**
 * Common secret field names for pino's own redaction (at the top level and one level down). pino's paths
 * cannot say "any name containing password", so `censorSecrets` below covers the rest, at any depth.
 */
const SECRET_FIELDS = [
  'password',
  'bindPassword',
  'unicodePwd',
  'newPassword',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'Authorization',
];
const REDACT_PATHS = SECRET_FIELDS.flatMap((name) => [name, `*.${name}`]);

export interface PinoLoggerOptions {
  /** Lowest level written (default `info`). */
  level?: Level;
  /** Where the JSON lines go (default: standard error, so standard output stays the host's). */
  destination?: DestinationStream;
  /**
   * Readable lines for a person at a terminal (pino-pretty: colour, time, level, message, fields) instead
   * of JSON; the same redaction applies, since it happens before formatting. Ignored with `destination`.
   */
  pretty?: boolean;
}

function defaultDestination(options: PinoLoggerOptions): DestinationStream {
  if (options.destination) return options.destination;
  if (options.pretty) {
    // Loaded only when asked for: a JSON-logging agent does without its modules in memory.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pinoPretty = require('pino-pretty') as typeof import('pino-pretty');
    return pinoPretty({ messageKey: 'message', destination: 2, sync: true, translateTime: 'SYS:HH:MM:ss.l' });
  }
  return pino.destination({ fd: 2, sync: true });
}

/** Our port over a pino logger (message first, fields second, as the port has it). */
function adapt(logger: Pino): Logger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, displayText(message)),
    info: (message, fields) => logger.info(fields ?? {}, displayText(message)),
    warn: (message, fields) => logger.warn(fields ?? {}, displayText(message)),
    error: (message, fields) => logger.error(fields ?? {}, displayText(message)),
    child: (bindings: LogFields) => adapt(logger.child(bindings)),
  };
}

/**
 * The agent's logger: one JSON object per line (`time` ISO 8601, `level` as a word, `message`, then the
 * fields), with fields whose names look secret replaced by "[Redacted]" — by pino's redaction for the
 * usual names, and by a formatter for any other name matching password/secret/token/authorization.
 */
export function createPinoLogger(options: PinoLoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: CENSORED },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => censorSecrets(bindings) as Record<string, unknown>,
        log: (object) => censorSecrets(object) as Record<string, unknown>,
      },
    },
    defaultDestination(options),
  );
  return adapt(logger);
}
