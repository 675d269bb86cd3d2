/** The configuration's `channel` section: embedded by default; Service Bus with its secrets named, every problem reported. */
import { parseControlPlaneConfig } from '../../../functions/config/control-plane-config';
import { formatIssues } from '../../../shared/util/result';

const BASE = {
  version: 1,
  sources: [{ id: 'hr-file', kind: 'csv', path: 'workers.csv', source: 'hr', schedule: '0 */5 * * * *' }],
  mapping: { defaults: { domainDn: 'DC=contoso,DC=com', upnSuffix: 'contoso.com' } },
  agent: { policy: { domainDn: 'DC=contoso,DC=com', allowedOus: ['OU=Users,DC=contoso,DC=com'] } },
};

function problems(channel: unknown): string {
  const parsed = parseControlPlaneConfig({ ...BASE, channel });
  return parsed.ok ? '' : formatIssues(parsed.issues);
}

it('defaults to the embedded agent', () => {
  const parsed = parseControlPlaneConfig(BASE);
  expect(parsed.ok && parsed.value.channel).toEqual({ kind: 'embedded' });
});

it('takes a Service Bus channel with defaults for the queues and the transport', () => {
  const parsed = parseControlPlaneConfig({
    ...BASE,
    channel: { kind: 'serviceBus', connectionString: { secret: 'service-bus' }, signingKey: { secret: 'signing' } },
  });
  expect(parsed.ok && parsed.value.channel).toEqual({
    kind: 'serviceBus',
    connectionString: { secret: 'service-bus' },
    commandsQueue: 'hr2ad-commands',
    resultsQueue: 'hr2ad-results',
    signingKey: { secret: 'signing' },
    webSockets: false,
  });
});

it.each([
  ['no signing key', { kind: 'serviceBus', connectionString: { secret: 'sb' } }, 'channel.signingKey'],
  [
    'a connection string inlined',
    { kind: 'serviceBus', connectionString: 'Endpoint=sb://x/', signingKey: { secret: 's' } },
    'channel.connectionString',
  ],
  [
    'a secret name Key Vault would refuse',
    { kind: 'serviceBus', connectionString: { secret: 'a b' }, signingKey: { secret: 's' } },
    'channel.connectionString.secret',
  ],
  ['an unknown kind', { kind: 'carrierPigeon' }, 'channel.kind'],
  ['an unknown key', { kind: 'embedded', queue: 'x' }, 'channel'],
])('refuses %s, naming the field', (_what, channel, field) => {
  expect(problems(channel)).toContain(field);
});

it('never echoes an inlined connection string in its error', () => {
  const text = problems({
    kind: 'serviceBus',
    connectionString: 'SharedAccessKey=s3cret',
    signingKey: { secret: 's' },
  });
  expect(text).not.toContain('s3cret');
});
