import type { Logger } from '../../shared/ports/logger.port';

const ignore = (): void => undefined;

/** A logger that drops every event: for tests, and for hosts that report through results only. */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
};
