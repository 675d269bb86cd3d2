/**
 * The one Microsoft Entra credential the Azure app reaches Cosmos DB, Key Vault and Service Bus with. In
 * Azure it is the app's managed identity: user-assigned when AZURE_CLIENT_ID names it, else system-assigned.
 * Elsewhere (a developer running the app under Core Tools) DefaultAzureCredential finds their own sign-in
 * (Azure CLI, Visual Studio Code, environment variables). No secret is ever configured for it.
 */
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { hasManagedIdentity, type AppSettings } from './app-settings';

export function azureCredential(settings: AppSettings): TokenCredential {
  if (!hasManagedIdentity(settings)) return new DefaultAzureCredential();
  return settings.AZURE_CLIENT_ID
    ? new ManagedIdentityCredential({ clientId: settings.AZURE_CLIENT_ID })
    : new ManagedIdentityCredential();
}
