import { dnsNameOfDomain, childDn } from '../../shared/directory/dn';
import type { Directory } from '../directory/directory.port';
import { eq, or } from '../directory/ldap-filter';

/**
 * Asks the directory whether a unique value is free. sAMAccountName and userPrincipalName are unique
 * across the domain, and AD also treats `sAMAccountName@<domain DNS name>` as an implicit UPN, so each is
 * checked against both. cn only has to be unique within its parent OU.
 */
export class UniqueValueProbe {
  readonly implicitUpnSuffix: string;

  constructor(
    private readonly directory: Directory,
    private readonly domainDn: string,
  ) {
    this.implicitUpnSuffix = dnsNameOfDomain(domainDn).toLowerCase();
  }

  private async anyMatch(filter: string, except?: string): Promise<boolean> {
    const found = await this.directory.search({
      base: this.domainDn,
      scope: 'sub',
      filter,
      attributes: ['objectGUID'],
    });
    return found.some((e) => e.attributes.objectguid?.[0] !== except);
  }

  async samAccountNameFree(value: string, exceptGuid?: string): Promise<boolean> {
    return !(await this.anyMatch(
      or(eq('sAMAccountName', value), eq('userPrincipalName', `${value}@${this.implicitUpnSuffix}`)),
      exceptGuid,
    ));
  }

  async userPrincipalNameFree(value: string, exceptGuid?: string): Promise<boolean> {
    const at = value.lastIndexOf('@');
    const local = value.slice(0, at);
    const suffix = value.slice(at + 1).toLowerCase();
    const filters = [eq('userPrincipalName', value)];
    if (suffix === this.implicitUpnSuffix) filters.push(eq('sAMAccountName', local));
    return !(await this.anyMatch(or(...filters), exceptGuid));
  }

  async mailFree(value: string, exceptGuid?: string): Promise<boolean> {
    return !(await this.anyMatch(or(eq('mail', value), eq('proxyAddresses', `smtp:${value}`)), exceptGuid));
  }

  async cnFree(value: string, parentDn: string, exceptGuid?: string): Promise<boolean> {
    const found = await this.directory.search({
      base: childDn('CN', value, parentDn),
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['objectGUID'],
    });
    return !found.some((e) => e.attributes.objectguid?.[0] !== exceptGuid);
  }
}
