/**
 * Prepares a directory for the main job, as an administrator would before the first sync: creates the
 * OUs a configuration writes into (its agent's allowed OUs and every OU its mapping's parentOu names),
 * with the DC's administrator account. hr2ad itself never creates OUs.
 *
 *   node --import tsx scripts/prepare-directory.ts <connection.json> <hr2ad.config.json>
 */
import { dcConnectionOptions, readDcConnection } from '../agent/demo/dc-connection';
import { LdaptsDirectory } from '../agent/directory/ldapts-directory';
import { silentLogger } from '../agent/logging/silent-logger';
import { parseDn } from '../shared/directory/dn';
import { loadControlPlaneConfig } from '../functions/config/load-config';

async function main(connectionFile: string, configFile: string): Promise<void> {
  const loaded = loadControlPlaneConfig(configFile);
  const mappingText = JSON.stringify(loaded.mapping.document);
  const named = [...mappingText.matchAll(/OU=[^"\\]+/g)].map((m) => m[0]);
  const ous = [...new Set([...loaded.config.agent.policy.allowedOus, ...named])].sort(
    (a, b) => parseDn(a).length - parseDn(b).length,
  );
  const admin = new LdaptsDirectory(dcConnectionOptions(readDcConnection(connectionFile)), silentLogger);
  try {
    for (const ou of ous) {
      const exists = await admin.search({ base: ou, scope: 'base', filter: '(objectClass=*)', attributes: ['ou'] });
      if (exists.length > 0) continue;
      await admin.add(ou, { objectClass: ['top', 'organizationalUnit'] });
      console.log(`created ${ou}`);
    }
  } finally {
    await admin.close();
  }
}

main(process.argv[2] ?? '', process.argv[3] ?? '').catch((error: unknown) => {
  console.error(`prepare-directory: ${(error as Error).message}`);
  process.exit(1);
});
