import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { DestinationStream } from 'pino';
import { createPinoLogger } from '../../../agent/logging/pino-logger';
import { silentLogger } from '../../../agent/logging/silent-logger';

const PINO_LOGGER = resolve(__dirname, '../../../agent/logging/pino-logger.ts');

function capture(): { destination: DestinationStream; lines: () => Array<Record<string, unknown>> } {
  const written: string[] = [];
  return {
    destination: { write: (line: string) => written.push(line) },
    lines: () => written.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/**
 * Fields whose names look secret never reach the log, at any depth.
 *
 * | field (path)                  | written as   |
 * |-------------------------------|--------------|
 * | password                      | [Redacted]   |
 * | bindPassword                  | [Redacted]   |
 * | connection.clientSecret       | [Redacted]   |
 * | request.headers.Authorization | [Redacted]   |
 * | accessToken                   | [Redacted]   |
 * | deep.a.b.apiToken             | [Redacted]   |
 * | dn, commandId                 | as given     |
 */
const REDACTIONS: ReadonlyArray<readonly [string, Record<string, unknown>, readonly string[], unknown]> = [
  ['password', { password: 'hunter2' }, ['password'], '[Redacted]'],
  ['bindPassword', { bindPassword: 'hunter2' }, ['bindPassword'], '[Redacted]'],
  ['connection.clientSecret', { connection: { clientSecret: 's3' } }, ['connection', 'clientSecret'], '[Redacted]'],
  [
    'request.headers.Authorization',
    { request: { headers: { Authorization: 'Bearer x' } } },
    ['request', 'headers', 'Authorization'],
    '[Redacted]',
  ],
  ['accessToken', { accessToken: 'eyJ' }, ['accessToken'], '[Redacted]'],
  ['deep.a.b.apiToken', { deep: { a: { b: { apiToken: 't' } } } }, ['deep', 'a', 'b', 'apiToken'], '[Redacted]'],
  ['dn', { dn: 'CN=Jane,DC=corp' }, ['dn'], 'CN=Jane,DC=corp'],
  ['commandId', { commandId: 'cmd-1' }, ['commandId'], 'cmd-1'],
];

describe('createPinoLogger', () => {
  it('writes one JSON line per event: ISO time, level as a word, message, fields', () => {
    const out = capture();
    createPinoLogger({ destination: out.destination }).info('applied', { commandId: 'cmd-1', created: true });
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 'info', message: 'applied', commandId: 'cmd-1', created: true });
    expect(String(line!.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it.each(REDACTIONS)('field %s', (_name, fields, path, expected) => {
    const out = capture();
    createPinoLogger({ destination: out.destination }).warn('event', fields);
    const value = path.reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], out.lines()[0]);
    expect(value).toEqual(expected);
    expect(JSON.stringify(out.lines())).not.toMatch(/hunter2|s3"|Bearer|eyJ|"t"/);
  });

  it.each([
    ['a line feed', 'Ada\nlevel: error', 'Ada\\nlevel: error'],
    ['a right-to-left override', 'Ada\u202Eecalevol', 'Ada\\u202Eecalevol'],
    ['a zero-width space', 'A\u200Bda', 'A\\u200Bda'],
  ])('a value from HR with %s is shown escaped, in fields and in the message', (_name, value, shown) => {
    const written: string[] = [];
    const logger = createPinoLogger({ destination: { write: (line: string) => written.push(line) } });
    logger.warn(`unique value ${value} taken`, { dn: `CN=${value},OU=Users`, nested: { name: value } });
    expect(written).toHaveLength(1);
    expect(written[0]!.trimEnd().split('\n')).toHaveLength(1);
    expect(written[0]).not.toMatch(/[\u202E\u200B]/);
    const line = JSON.parse(written[0]!) as { message: string; dn: string; nested: { name: string } };
    expect(line.message).toBe(`unique value ${shown} taken`);
    expect(line.dn).toBe(`CN=${shown},OU=Users`);
    expect(line.nested.name).toBe(shown);
  });

  it('redacts child bindings too, and adds them to every event', () => {
    const out = capture();
    const child = createPinoLogger({ destination: out.destination }).child({ commandId: 'c1', token: 'abc' });
    child.error('failed', { code: 'Timeout' });
    expect(out.lines()[0]).toMatchObject({ commandId: 'c1', token: '[Redacted]', code: 'Timeout', level: 'error' });
  });

  it('writes debug only when the level allows it', () => {
    const quiet = capture();
    createPinoLogger({ destination: quiet.destination }).debug('detail');
    expect(quiet.lines()).toEqual([]);
    const verbose = capture();
    createPinoLogger({ destination: verbose.destination, level: 'debug' }).debug('detail', { n: 1 });
    expect(verbose.lines()).toEqual([expect.objectContaining({ level: 'debug', message: 'detail', n: 1 })]);
  });

  it('leaves the caller’s fields untouched', () => {
    const out = capture();
    const fields = { password: 'hunter2', nested: { secret: 'x' } };
    createPinoLogger({ destination: out.destination }).info('event', fields);
    expect(fields).toEqual({ password: 'hunter2', nested: { secret: 'x' } });
  });

  it('with pretty, writes readable lines on standard error, secrets redacted', () => {
    // pino-pretty writes straight to file descriptor 2, so a child process shows what a person would see.
    const script = `require(${JSON.stringify(PINO_LOGGER)}).createPinoLogger({ pretty: true }).info('applied', { commandId: 'cmd-1', password: 'hunter2' });`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    expect(child.stderr).toMatch(/INFO.*applied/);
    expect(child.stderr).toContain('cmd-1');
    expect(child.stderr).not.toContain('hunter2');
    expect(() => JSON.parse(child.stderr)).toThrow();
  });
});

describe('silentLogger', () => {
  it('drops everything, children included', () => {
    expect(() => {
      silentLogger.info('x', { password: 'p' });
      silentLogger.child({ a: 1 }).debug('y');
    }).not.toThrow();
    expect(silentLogger.child({})).toBe(silentLogger);
  });
});
