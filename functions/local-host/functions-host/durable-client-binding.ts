/**
 * The value of a `durableClient` input binding, as the Durable extension gives it to a function, built for
 * the local durable API. durable-functions' `getClient(context)` reads `taskHubName`, `creationUrls` and
 * `managementUrls` (required) and `rpcBaseUrl`, which it uses for every call when present.
 */

/** The binding value (`OrchestrationClientInputData`). */
export interface DurableClientBinding {
  readonly taskHubName: string;
  readonly creationUrls: Readonly<Record<string, string>>;
  readonly managementUrls: Readonly<Record<string, string>>;
  /** Ends with `/`: the client resolves relative paths against it (`new URL('instances/x', base)`). */
  readonly rpcBaseUrl: string;
}

/** The placeholder the extension puts where an instance id goes in management URLs. */
export const INSTANCE_ID_PLACEHOLDER = 'INSTANCEID';

/** The management links of one instance (the check-status payload), from the durable API's base URL. */
export function managementUrls(baseUrl: string, taskHubName: string, instanceId: string): Record<string, string> {
  const instance = `${baseUrl}instances/${encodeURIComponent(instanceId)}`;
  // The extension's links carry `taskHub` and `connection`; callers append `&showHistory=…` to them.
  const query = `taskHub=${encodeURIComponent(taskHubName)}&connection=Storage`;
  return {
    id: instanceId,
    statusQueryGetUri: `${instance}?${query}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${instance}?${query}`,
    restartPostUri: `${instance}/restart?${query}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
    resumePostUri: `${instance}/resume?reason={text}&${query}`,
  };
}

/** The client binding pointing at a durable API served at `baseUrl` (which ends with `/`). */
export function durableClientBinding(baseUrl: string, taskHubName: string): DurableClientBinding {
  if (!baseUrl.endsWith('/')) throw new Error('the durable API base URL must end with "/"');
  return {
    taskHubName,
    creationUrls: {
      createNewInstancePostUri: `${baseUrl}orchestrators/{functionName}[/{instanceId}]`,
      createAndWaitOnNewInstancePostUri:
        `${baseUrl}orchestrators/{functionName}[/{instanceId}]` +
        '?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}',
    },
    // The client substitutes the placeholder textually (an id needs no encoding to match it).
    managementUrls: managementUrls(baseUrl, taskHubName, INSTANCE_ID_PLACEHOLDER),
    rpcBaseUrl: baseUrl,
  };
}
