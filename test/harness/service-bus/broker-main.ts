/**
 * The test broker as a process, for crash tests:
 *   node --import tsx test/harness/service-bus/broker-main.ts --port P --ws-port W --data file.db \
 *     --queue name:session|plain:lockMs:maxDeliveries ... [--redeliver N]
 * Prints one JSON line when ready ({ amqpPort, wsPort, connectionString, wsConnectionString, certPem }) and
 * stops on SIGTERM or SIGINT.
 */
import { startBroker } from './broker';
import type { BrokerOptions, QueueSpec } from './types';

function parseQueue(text: string): QueueSpec {
  const [name, kind, lockMs, maxDeliveries] = text.split(':');
  if (!name) throw new Error(`--queue needs name:session|plain:lockMs:maxDeliveries, got "${text}"`);
  return {
    name,
    requiresSession: kind === 'session',
    ...(lockMs ? { lockDurationMs: Number(lockMs) } : {}),
    ...(maxDeliveries ? { maxDeliveryCount: Number(maxDeliveries) } : {}),
  };
}

export function parseBrokerArgs(args: string[]): BrokerOptions {
  const options: BrokerOptions = { queues: [] };
  for (let i = 0; i < args.length; i += 2) {
    const value = args[i + 1];
    if (value === undefined) throw new Error(`${args[i]} needs a value`);
    switch (args[i]) {
      case '--port':
        options.port = Number(value);
        break;
      case '--ws-port':
        options.wsPort = Number(value);
        break;
      case '--data':
        options.dataFile = value;
        break;
      case '--queue':
        options.queues.push(parseQueue(value));
        break;
      case '--redeliver':
        options.redeliverEachMessage = Number(value);
        break;
      default:
        throw new Error(`unknown option ${args[i]}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const broker = await startBroker(parseBrokerArgs(process.argv.slice(2)));
  const stop = (): void => {
    broker.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const { amqpPort, wsPort, connectionString, wsConnectionString, certPem } = broker;
  process.stdout.write(JSON.stringify({ amqpPort, wsPort, connectionString, wsConnectionString, certPem }) + '\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`test broker failed to start: ${String(error)}\n`);
    process.exit(1);
  });
}
