/**
 * The Functions entry point in Azure (package.json `main` points at its compiled file). The worker loads
 * it once per process: it validates the app settings, builds the ports on Cosmos DB, Key Vault and
 * Service Bus, and registers the control plane's functions while the module loads, as the host requires.
 * A missing or invalid setting stops the app at load with one error naming every such setting; the host
 * then shows no functions and logs that error.
 */
import { join } from 'node:path';
import { registerControlPlane } from '../app/register-app';
import { readAppSettings } from './app-settings';
import { buildAzurePorts } from './azure-ports';

/** The app's folder (`/home/site/wwwroot` in Azure): this file is `<app>/functions/azure/main.js`. */
const APP_DIRECTORY = join(__dirname, '..', '..');

const { ports } = buildAzurePorts(readAppSettings(process.env), APP_DIRECTORY);
registerControlPlane(ports);
ports.logger.info('control plane registered', { sources: ports.sources.map((s) => s.source.id) });
