import { AgentConfigError, createDirectoryAgent, silentLogger } from '../../agent';
import { childDn } from '../../shared/directory/dn';
import { upsertFor } from '../harness/commands';
import { InMemoryDirectory } from '../harness/in-memory-directory';

/** The entry point embeds the agent over a Directory the host gives it (here an in-memory fake). */

const domainDn = 'DC=corp,DC=example,DC=test';
const staff = `OU=Staff,OU=hr2ad,${domainDn}`;
const policy = { domainDn, allowedOus: [`OU=hr2ad,${domainDn}`] };
const environment = (directory?: InMemoryDirectory) => ({
  logger: silentLogger,
  now: () => new Date(),
  ...(directory ? { directory } : {}),
});

describe('createDirectoryAgent over a given Directory', () => {
  it('applies a joiner through it: add, password, enable; then a re-delivery changes nothing', async () => {
    const directory = new InMemoryDirectory([domainDn, `OU=hr2ad,${domainDn}`, staff]);
    const agent = createDirectoryAgent({ policy }, environment(directory));
    const command = upsertFor({ id: 'M1001', given: 'Ada', family: 'Lovelace', ou: staff });

    const result = await agent.apply(command);
    const dn = childDn('CN', 'Ada Lovelace', staff);
    expect(result).toMatchObject({
      kind: 'Applied',
      created: true,
      dn,
      chosen: { sAMAccountName: 'alovelace', userPrincipalName: 'alovelace@corp.example.test', cn: 'Ada Lovelace' },
    });
    expect(directory.writes).toEqual([
      `add ${dn}`,
      `set password of ${dn}`,
      `replace userAccountControl of ${dn}`,
      `replace pwdLastSet of ${dn}`,
    ]);
    expect(directory.read(dn)).toMatchObject({ samaccountname: ['alovelace'], useraccountcontrol: ['512'] });

    expect(await agent.apply(command)).toMatchObject({ kind: 'NoChange', dn });
    await agent.close();
  });

  it('refuses a configuration that also says how to reach a directory', () => {
    const directory = new InMemoryDirectory();
    const document = {
      directory: { url: 'ldaps://dc.example.test', bindDn: 'CN=a', bindPassword: { env: 'X' } },
      policy,
    };
    expect(() => createDirectoryAgent(document, environment(directory))).toThrow(AgentConfigError);
    expect(() => createDirectoryAgent(document, environment(directory))).toThrow(/directory: not used/);
  });

  it('without a given Directory, the configuration must say how to reach one', () => {
    expect(() => createDirectoryAgent({ policy }, environment())).toThrow(/directory: required/);
  });
});
