/**
 * hr2ad-agent status and run, over stand-in relay dependencies:
 *
 *   status file              | process | heartbeat age      | status
 *   -------------------------|---------|--------------------|------------------------------
 *   none                     | —       | —                  | not running (exit 4), no status file
 *   written                  | alive   | ≤ 3 intervals      | running (exit 0), counts shown
 *   written                  | alive   | > 3 intervals      | not running: heartbeat stale
 *   written                  | dead    | fresh              | not running: process not running
 *
 * run starts the relay with the loaded configuration and stops it on a signal (exit 0); a relay that cannot
 * start exits 5.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartRelay } from '../../../agent/cli/run-command';
import { silentLogger } from '../../../agent/logging/silent-logger';
import { firstInitArgs, runAgent, temporaryDirectory } from './agent-cli';

const NOW = new Date('2025-03-01T10:00:00Z');
const secrets = { bindPassword: 'pw-1', connectionString: 'Endpoint=sb://ns/;SharedAccessKeyName=a;SharedAccessKey=b' };

async function configured() {
  const dir = temporaryDirectory();
  expect((await runAgent(firstInitArgs(dir, secrets))).code).toBe(0);
  return { dir, config: join(dir, 'agent.json'), journal: join(dir, 'journal.sqlite') };
}

function writeStatus(journal: string, sentAt: Date, pid = 4242): void {
  const heartbeat = {
    type: 'AgentHeartbeat',
    agentId: 'agent-1',
    version: '1.2.3',
    hostname: 'host-1',
    startedAt: '2025-03-01T09:00:00Z',
    sentAt: sentAt.toISOString(),
    sessionsHeld: 3,
    commandsApplied: 17,
    commandsRefused: 2,
    errors: 1,
    deadLettered: 0,
    lastError: 'bind to ldaps://dc1 failed: timeout',
  };
  writeFileSync(`${journal}.status.json`, JSON.stringify({ ...heartbeat, pid }));
  writeFileSync(journal, 'x'.repeat(4096));
}

const stats = { commandsCompleted: 15, workers: 9, refusals: 2, lastCompletedAt: '2025-03-01T09:59:00Z' };

describe('hr2ad-agent status', () => {
  it('says not running when the agent never ran (exit 4)', async () => {
    const { config } = await configured();
    const result = await runAgent(['status', '--config', config]);
    expect(result.code).toBe(4);
    expect(result.stdout).toContain('not running: no status file');
    expect(result.stdout).toContain('not created yet');
  });

  it.each([
    ['fresh heartbeat, live process', 60, true, 0, 'running (pid 4242)'],
    ['stale heartbeat, live process', 91, true, 4, 'its last heartbeat is 91 s old'],
    ['fresh heartbeat, dead process', 10, false, 4, 'process 4242 is not running'],
  ])('%s', async (_case, ageSeconds, alive, code, expected) => {
    const { config, journal } = await configured();
    writeStatus(journal, new Date(NOW.getTime() - ageSeconds * 1000));
    const result = await runAgent(['status', '--config', config], {
      deps: { isAlive: () => alive, journalStats: () => stats },
    });
    expect(result.code).toBe(code);
    expect(result.stdout).toContain(expected);
  });

  it('shows sessions, counts, last error and the journal, and the same as JSON', async () => {
    const { config, journal } = await configured();
    writeStatus(journal, NOW);
    const deps = { isAlive: () => true, journalStats: () => stats };
    const text = (await runAgent(['status', '--config', config], { deps })).stdout;
    expect(text).toContain('sessions held 3; since start: applied 17, refused 2, errors 1, dead-lettered 0');
    expect(text).toContain('last error: bind to ldaps://dc1 failed: timeout');
    expect(text).toContain(`journal ${journal}: 4096 bytes; 15 commands completed for 9 workers, 2 refused`);
    const json = JSON.parse((await runAgent(['status', '--config', config, '--json'], { deps })).stdout);
    expect(json).toMatchObject({
      running: true,
      pid: 4242,
      heartbeat: { sessionsHeld: 3, commandsApplied: 17 },
      journal: { path: journal, bytes: 4096, stats },
    });
  });
});

describe('hr2ad-agent run', () => {
  it('starts the relay with the loaded configuration and stops it on a signal (exit 0)', async () => {
    const { config } = await configured();
    const events: string[] = [];
    const startRelay: StartRelay = async (loaded) => {
      events.push(`start ${loaded.directory?.url} ${loaded.relay?.journal.path !== undefined}`);
      return {
        stop: async () => {
          events.push('stop');
        },
        stopped: new Promise<void>(() => {}),
      };
    };
    const result = await runAgent(['run', '--config', config], {
      deps: { startRelay, logger: silentLogger },
      io: { stopRequested: async () => 'SIGTERM' },
    });
    expect(result.code).toBe(0);
    expect(events).toEqual(['start ldaps://dc1.corp.example.test true', 'stop']);
  });

  it('exits 5 when the relay cannot start', async () => {
    const { config } = await configured();
    const result = await runAgent(['run', '--config', config], { deps: { logger: silentLogger } });
    expect(result.code).toBe(5);
  });

  it('exits 1 naming the file when the configuration is missing', async () => {
    const result = await runAgent(['run', '--config', '/nonexistent/agent.json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/nonexistent/agent.json: cannot read the agent configuration (ENOENT)');
  });

  it('answers --help with exit 0 and a usage error with exit 2', async () => {
    expect((await runAgent(['run', '--help'])).code).toBe(0);
    expect((await runAgent(['run'])).code).toBe(2);
    expect((await runAgent(['init', '--config', 'x', '--transport', 'carrier-pigeon'])).code).toBe(2);
  });
});
