import { isWithin, tryParseDn, type Dn } from '../../shared/directory/dn';
import type { Directory, DirectoryEntry } from '../directory/directory.port';
import { eq, inChain, or } from '../directory/ldap-filter';
import { ApplyFailure } from './apply-failure';

/** Built-in groups (S-1-5-32-…) whose members the agent never touches. */
const PRIVILEGED_BUILTIN_SIDS = new Set([
  'S-1-5-32-544', // Administrators
  'S-1-5-32-548', // Account Operators
  'S-1-5-32-549', // Server Operators
  'S-1-5-32-550', // Print Operators
  'S-1-5-32-551', // Backup Operators
  'S-1-5-32-552', // Replicator
]);

/** Domain-relative ids of privileged groups and accounts. */
const PRIVILEGED_DOMAIN_RIDS = new Set([
  '500', // Administrator
  '502', // krbtgt
  '498', // Enterprise Read-only Domain Controllers
  '512', // Domain Admins
  '516', // Domain Controllers
  '518', // Schema Admins
  '519', // Enterprise Admins
  '521', // Read-only Domain Controllers
  '526', // Key Admins
  '527', // Enterprise Key Admins
]);

function isPrivilegedSid(sid: string): boolean {
  if (PRIVILEGED_BUILTIN_SIDS.has(sid)) return true;
  const m = /^S-1-5-21-\d+-\d+-\d+-(\d+)$/.exec(sid);
  return m !== null && PRIVILEGED_DOMAIN_RIDS.has(m[1]!);
}

/**
 * The agent's own guard rails, enforced whatever a command says: only DNs under allow-listed OUs, and
 * never an account or group that is, or leads to, privilege.
 */
export class AccountSafety {
  private readonly allowed: Dn[];
  private privileged: Promise<readonly string[]> | undefined;

  constructor(
    private readonly directory: Directory,
    allowedOus: readonly string[],
    private readonly domainDn: string,
  ) {
    this.allowed = allowedOus.map((ou) => {
      const parsed = tryParseDn(ou);
      if (!parsed || parsed.length === 0) throw new Error(`allowed OU is not a DN: ${JSON.stringify(ou)}`);
      return parsed;
    });
    if (this.allowed.length === 0) throw new Error('at least one allowed OU is required');
  }

  /** Parses a DN from a command field and requires it under an allowed OU. */
  requireAllowed(dn: string, field: string): Dn {
    const parsed = tryParseDn(dn);
    if (!parsed || parsed.length === 0)
      throw new ApplyFailure('InvalidValue', `${field}: "${dn}" is not a valid DN`, field);
    if (!this.allowed.some((ou) => isWithin(parsed, ou))) {
      throw new ApplyFailure('OutsideAllowedOus', `${field}: ${dn} is outside the OUs this agent may manage`, field);
    }
    return parsed;
  }

  /**
   * Refuses protected accounts: adminCount=1 (even after leaving a privileged group, AD keeps the
   * AdminSDHolder ACL), built-in privileged accounts, and members — direct or nested — of privileged groups.
   */
  async requireUnprotected(account: DirectoryEntry): Promise<void> {
    this.requireAllowed(account.dn, 'account');
    const reason = await this.protectionOf(account);
    if (reason)
      throw new ApplyFailure(
        'ProtectedAccount',
        `account ${account.dn} is protected (${reason}); hr2ad never changes it`,
        'account',
      );
  }

  private async protectionOf(entry: DirectoryEntry): Promise<string | undefined> {
    if (entry.attributes.admincount?.[0] === '1') return 'adminCount=1';
    const sid = entry.attributes.objectsid?.[0];
    if (sid && isPrivilegedSid(sid)) return 'built-in privileged object';
    // Asked from the object's side (its memberOf, through nesting), so the cost follows the object's own
    // groups: asking which groups of the domain hold it made every check scan every group's members.
    const privileged = await this.privilegedGroups();
    const holding = async (groups: readonly string[]) =>
      (
        await this.directory.search({
          base: entry.dn,
          scope: 'base',
          filter: or(...groups.map((group) => inChain('memberOf', group))),
          attributes: ['objectSid'],
        })
      ).length > 0;
    if (privileged.length === 0 || !(await holding(privileged))) return undefined;
    const which: string[] = [];
    for (const group of privileged) if (await holding([group])) which.push(group);
    return `member of privileged group${which.length > 1 ? 's' : ''} ${which.join('; ')}`;
  }

  /** The domain's privileged groups (built in, found by SID), looked up once. */
  private privilegedGroups(): Promise<readonly string[]> {
    this.privileged ??= this.findPrivilegedGroups().catch((error: unknown) => {
      this.privileged = undefined;
      throw error;
    });
    return this.privileged;
  }

  private async findPrivilegedGroups(): Promise<string[]> {
    const groups = await this.directory.search({
      base: this.domainDn,
      scope: 'sub',
      filter: eq('objectClass', 'group'),
      attributes: ['objectSid'],
    });
    return groups
      .filter((group) => isPrivilegedSid(group.attributes.objectsid?.[0] ?? ''))
      .map((group) => group.dn)
      .sort();
  }

  /** Refuses a managed group outside the allowed OUs, missing, or leading to privilege. */
  async requireManageableGroup(dn: string, field: string): Promise<DirectoryEntry> {
    this.requireAllowed(dn, field);
    const [group] = await this.directory.search({
      base: dn,
      scope: 'base',
      filter: eq('objectClass', 'group'),
      attributes: ['objectSid', 'adminCount'],
    });
    if (!group) throw new ApplyFailure('ParentNotFound', `${field}: group ${dn} does not exist`, field);
    const reason = await this.protectionOf(group);
    if (reason)
      throw new ApplyFailure(
        'ProtectedAccount',
        `${field}: group ${dn} is privileged (${reason}); hr2ad never manages it`,
        field,
      );
    return group;
  }
}
