/**
 * The real `@azure/functions-core` require proxy, outside jest (whose module registry bypasses it): a
 * child `node --import tsx` process captures the test app.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

test('the require proxy captures every registration of an unmodified app', async () => {
  const script = join(__dirname, 'fixtures', 'capture-script.ts');
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
    cwd: join(__dirname, '..', '..', '..', '..'),
  });
  expect(stderr).not.toContain('test mode');
  const result = JSON.parse(stdout) as { programmingModel: string; functions: [string, string][] };
  expect(result.programmingModel).toBe('@azure/functions');
  expect(result.functions).toEqual([
    ['getItem', 'httpTrigger'],
    ['ping', 'httpTrigger'],
    ['echo', 'httpTrigger'],
    ['boom', 'httpTrigger'],
    ['adminOnly', 'httpTrigger'],
    ['nightly', 'timerTrigger'],
    ['everyFiveMinutes', 'timerTrigger'],
    ['provision', 'orchestrationTrigger'],
    ['failing', 'orchestrationTrigger'],
    ['createUser', 'activityTrigger'],
    ['statusOf', 'activityTrigger'],
    ['explode', 'activityTrigger'],
    ['startProvision', 'httpTrigger'],
    ['checkStatus', 'httpTrigger'],
    ['durableOps', 'httpTrigger'],
  ]);
});
