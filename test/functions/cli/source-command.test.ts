/**
 * `hr2ad source test <id>` against the fake BambooHR: with the right key it connects, reads and previews
 * the first workers (nothing stored); a refused key is an error naming the source (1); an unknown source or
 * a SCIM source (nothing to read) is an invalid input (1).
 */
import { loadControlPlaneConfig } from '../../../functions/config/load-config';
import { localDataFiles, openSecrets } from '../../../functions/local-host/local-control-plane';
import { FakeBambooHr } from '../../harness/hr-fakes/bamboohr/fake-bamboohr';
import { runLocalCli, writeLocalConfig, type LocalConfig } from './fixtures/local-config';

let local: LocalConfig;
let config: string;
let fake: FakeBambooHr;

beforeAll(async () => {
  fake = await FakeBambooHr.start();
  for (const [id, first, last] of [
    ['201', 'Katherine', 'Johnson'],
    ['202', 'Dorothy', 'Vaughan'],
  ] as const) {
    fake.hire({
      id,
      fields: {
        firstName: first,
        lastName: last,
        preferredName: null,
        workEmail: `${first}.${last}@example.com`.toLowerCase(),
        workPhone: null,
        mobilePhone: null,
        hireDate: '2021-03-01',
        reportsToId: null,
        employmentStatusName: 'Full-Time',
        status: 'Active',
        jobTitleName: 'Mathematician',
      },
      jobInfo: [
        {
          date: '2021-03-01',
          location: 'London',
          division: 'Flight',
          department: 'Research',
          jobTitle: 'Mathematician',
        },
      ],
      employmentStatus: [{ date: '2021-03-01', employmentStatus: 'Full-Time' }],
    });
  }
});
afterAll(async () => fake?.close());

const hr2ad = (...argv: string[]) => runLocalCli(argv, { now: new Date('2026-06-01T09:00:00Z') });

beforeEach(() => {
  local = writeLocalConfig('source', [
    {
      id: 'hr-bamboo',
      kind: 'bamboohr',
      source: 'hr',
      companyDomain: 'acme',
      baseUrl: fake.baseUrl,
      apiKey: { secret: 'bamboohr-api-key' },
    },
    { id: 'hr-scim', kind: 'scim', source: 'hr' },
  ]);
  config = local.config;
});
afterEach(() => local.remove());

const setKey = async (value: string) =>
  (await openSecrets(localDataFiles(loadControlPlaneConfig(config)))).set('bamboohr-api-key', value);

describe('hr2ad source test', () => {
  it('connects, reads one page of --count workers and previews them', async () => {
    await setKey(fake.apiKey);
    fake.resetRequests();
    const run = await hr2ad('source', 'test', 'hr-bamboo', '--config', config, '--count', '1');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('source hr-bamboo (bamboohr): connected; read 1 records, 0 rows');
    const firstPage = fake.requests.find((r) => r.operationId === 'list-employees');
    expect(firstPage?.query).toContain('page%5Blimit%5D=1');
    expect(run.stdout).toContain('Katherine');
    expect(run.stdout).not.toContain('Dorothy');
    expect(fake.invalidRequests).toEqual([]);
  });

  it('a refused key is an error naming the source', async () => {
    await setKey('wrong-key');
    const run = await hr2ad('source', 'test', 'hr-bamboo', '--config', config);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/hr-bamboo.*(401|refused)/);
    expect(run.stderr).not.toContain('wrong-key');
  });

  it.each([['nope'], ['hr-scim']])('%s is refused: nothing to read', async (id) => {
    expect((await hr2ad('source', 'test', id, '--config', config)).code).toBe(1);
  });
});
