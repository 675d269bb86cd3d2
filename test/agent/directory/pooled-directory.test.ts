/**
 * The agent's connection pool: calls go to the connections in turn (so commands for different workers
 * spread over them), one command's awaited operations keep their order, and closing closes every one.
 */
import type { Directory } from '../../../agent/directory/directory.port';
import { PooledDirectory } from '../../../agent/directory/pooled-directory';

function recording(name: string, log: string[]): Directory {
  const note = (op: string) => async () => {
    log.push(`${name}:${op}`);
    return op === 'search' ? [] : op === 'usn' ? 1n : undefined;
  };
  return {
    search: note('search'),
    add: note('add'),
    modify: note('modify'),
    move: note('move'),
    delete: note('delete'),
    highestCommittedUsn: note('usn'),
    close: note('close'),
  } as unknown as Directory;
}

describe('PooledDirectory', () => {
  it('sends each call to the next connection in turn, in the order awaited', async () => {
    const log: string[] = [];
    const pool = new PooledDirectory([recording('a', log), recording('b', log), recording('c', log)]);
    await pool.search({ base: 'DC=t', scope: 'sub', filter: '(cn=x)', attributes: [] });
    await pool.add('CN=x,DC=t', {});
    await pool.modify('CN=x,DC=t', []);
    await pool.move('CN=x,DC=t', 'CN=y,DC=t');
    await pool.delete('CN=y,DC=t');
    await pool.highestCommittedUsn();
    expect(log).toEqual(['a:search', 'b:add', 'c:modify', 'a:move', 'b:delete', 'c:usn']);
  });

  it('closes every connection', async () => {
    const log: string[] = [];
    await new PooledDirectory([recording('a', log), recording('b', log)]).close();
    expect(log.sort()).toEqual(['a:close', 'b:close']);
  });

  it('refuses an empty pool', () => {
    expect(() => new PooledDirectory([])).toThrow('at least one connection');
  });
});
