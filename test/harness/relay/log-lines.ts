import { Writable } from 'node:stream';
import { createPinoLogger } from '../../../agent/logging/pino-logger';
import type { Logger } from '../../../shared/ports/logger.port';

/** A real pino logger whose JSON lines are kept, so a test can read and scan everything logged. */
export function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createPinoLogger({ level: 'debug', destination }), lines };
}

/**
 * The secrets found in log text: each secret, and for multi-line ones (PEM keys) every line of its body,
 * so that a partial leak is found too.
 */
export function secretsIn(text: string, secrets: readonly string[]): string[] {
  const needles = secrets.flatMap((secret) =>
    secret.includes('\n')
      ? secret.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'))
      : [secret],
  );
  return needles.filter((needle) => needle.length >= 6 && text.includes(needle));
}
