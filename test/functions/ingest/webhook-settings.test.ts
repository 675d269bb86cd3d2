/** A source's webhook settings: defaults, and each setting's limits reported with its path. */
import { webhookSettings } from '../../../functions/ingest/webhook-settings';
import { issuesFromZod } from '../../../shared/util/result';

function problems(input: unknown): string[] {
  const parsed = webhookSettings.safeParse(input);
  return parsed.success ? [] : issuesFromZod(parsed.error).map((i) => i.path);
}

describe('webhookSettings', () => {
  it('fills the defaults: a 300 s tolerance, ids at workerIds', () => {
    expect(webhookSettings.parse({ secrets: [{ secret: 'hr-webhook' }] })).toEqual({
      secrets: [{ secret: 'hr-webhook' }],
      toleranceSeconds: 300,
      workerIds: 'workerIds',
    });
  });

  it('takes two secrets during a rotation and a payload path', () => {
    const input = {
      secrets: [{ secret: 'hr-webhook' }, { secret: 'hr-webhook-next' }],
      toleranceSeconds: 30,
      workerIds: 'employees[].id',
    };
    expect(webhookSettings.parse(input)).toEqual(input);
  });

  /** Input → the paths at fault. */
  const BAD: [string, unknown, string[]][] = [
    ['no secret', { secrets: [] }, ['secrets']],
    ['three secrets', { secrets: [{ secret: 'a' }, { secret: 'b' }, { secret: 'c' }] }, ['secrets']],
    ['a secret name with a dot', { secrets: [{ secret: 'hr.webhook' }] }, ['secrets.0.secret']],
    ['a secret value inlined', { secrets: [{ secret: 'a', value: 'x' }] }, ['secrets.0']],
    ['a tolerance under 30 s', { secrets: [{ secret: 'a' }], toleranceSeconds: 29 }, ['toleranceSeconds']],
    ['a tolerance over an hour', { secrets: [{ secret: 'a' }], toleranceSeconds: 3601 }, ['toleranceSeconds']],
    ['a fractional tolerance', { secrets: [{ secret: 'a' }], toleranceSeconds: 60.5 }, ['toleranceSeconds']],
    ['a path that is not one', { secrets: [{ secret: 'a' }], workerIds: 'employees[0].id' }, ['workerIds']],
    ['an unknown key', { secrets: [{ secret: 'a' }], tolerance: 60 }, ['(root)']],
  ];

  it.each(BAD)('refuses %s', (_, input, paths) => {
    expect(problems(input)).toEqual(paths);
  });
});
