import { fencedDirectory, withSessionFence } from '../../../agent/relay/session-fence';
import { InMemoryDirectory } from '../../harness/in-memory-directory';

const OU = 'OU=Staff,DC=corp,DC=example,DC=test';
const user = { objectClass: ['top', 'person', 'organizationalPerson', 'user'], sAMAccountName: ['ada'] };

describe('fenced directory writes', () => {
  it('writes while the session is held, refuses every write (retryable) once it is lost, and reads either way', async () => {
    const directory = fencedDirectory(new InMemoryDirectory([OU]));
    let held = true;
    await withSessionFence(
      () => held,
      async () => {
        await directory.add(`CN=Ada,${OU}`, user);
        held = false;
        await expect(directory.modify(`CN=Ada,${OU}`, [])).rejects.toMatchObject({
          name: 'DirectoryError',
          retryable: true,
          message: expect.stringContaining('no longer holds the worker'),
        });
        await expect(directory.move(`CN=Ada,${OU}`, `CN=Ada 2,${OU}`)).rejects.toMatchObject({ retryable: true });
        await expect(directory.delete(`CN=Ada,${OU}`)).rejects.toMatchObject({ retryable: true });
        await expect(directory.add(`CN=Bob,${OU}`, user)).rejects.toMatchObject({ retryable: true });
        const found = await directory.search({ base: OU, scope: 'one', filter: '(objectClass=user)', attributes: [] });
        expect(found.map((entry) => entry.dn)).toEqual([`CN=Ada,${OU}`]);
      },
    );
  });

  it('does not fence writes made outside a command (no fence in force)', async () => {
    const directory = fencedDirectory(new InMemoryDirectory([OU]));
    await directory.add(`CN=Ada,${OU}`, user);
    expect(
      await directory.search({ base: `CN=Ada,${OU}`, scope: 'base', filter: '(objectClass=*)', attributes: [] }),
    ).toHaveLength(1);
  });
});
