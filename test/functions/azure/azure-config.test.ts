/**
 * The deployed configuration as the Azure app reads it: file and SCIM sources are taken; an HR API source
 * (which reads its credentials from the local secret store) is refused by name rather than silently left
 * without a timer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAzureConfig } from '../../../functions/azure/azure-config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hr2ad-azure-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(sources: unknown[]): void {
  const config = {
    version: 1,
    sources,
    mapping: { defaults: { domainDn: 'DC=corp,DC=example,DC=com', upnSuffix: 'corp.example.com' } },
  };
  writeFileSync(join(dir, 'hr2ad.config.json'), JSON.stringify(config));
}

const CSV = { id: 'hr-file', kind: 'csv', path: 'workers.csv', source: 'hr' };

it('takes file and SCIM sources; only the file source gets a timer', () => {
  write([CSV, { id: 'hr-scim', kind: 'scim', source: 'hr' }]);
  const loaded = loadAzureConfig(dir, 'hr2ad.config.json');
  expect(loaded.sources.map((s) => s.source.id)).toEqual(['hr-file']);
  expect(loaded.config.sources.map((s) => s.kind)).toEqual(['csv', 'scim']);
});

it('takes an HR system read through a connector; its source is built where the secret store is', () => {
  write([
    CSV,
    { id: 'hr-bamboo', kind: 'bamboohr', source: 'hr', companyDomain: 'acme', apiKey: { secret: 'bamboo-key' } },
  ]);
  const loaded = loadAzureConfig(dir, 'hr2ad.config.json');
  expect(loaded.config.sources.map((s) => s.kind)).toEqual(['csv', 'bamboohr']);
  expect(loaded.sources.map((s) => s.source.id)).toEqual(['hr-file']);
});
