/**
 * The one module that reaches into durable-functions' internals (`lib/src/...`, no `exports` map, no
 * typings). Everything the engine relies on about the package's wire format is re-exported from here, so
 * an upgrade that moves or renumbers them fails one test (df-internals.test.ts) instead of replays.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- deep imports of an untyped CommonJS package */

/** The exact package version the engine was written and tested against. */
export const SUPPORTED_DURABLE_FUNCTIONS_VERSION = '3.5.0';

interface PackageJson {
  readonly version: string;
}

/** The installed durable-functions version (read from its package.json). */
export const durableFunctionsVersion: string = (require('durable-functions/package.json') as PackageJson).version;

type NumericEnum = Readonly<Record<string, number | string>>;

const historyEventTypeModule = require('durable-functions/lib/src/history/HistoryEventType') as {
  HistoryEventType: NumericEnum;
};
const actionTypeModule = require('durable-functions/lib/src/actions/ActionType') as { ActionType: NumericEnum };

/** The package's HistoryEventType enum (name → number and number → name). */
export const packageHistoryEventType: NumericEnum = historyEventTypeModule.HistoryEventType;
/** The package's ActionType enum. */
export const packageActionType: NumericEnum = actionTypeModule.ActionType;

/** An orchestration trigger callback, as durable-functions registers it for the Functions host. */
export type OrchestratorCallback = (payload: unknown, context: unknown) => Promise<unknown>;

/**
 * `createOrchestrator(generatorFn)` from `lib/src/util/testingUtils.js`: the same wrapper `df.app.orchestration`
 * registers, for running an orchestrator without the Functions host (tests, tools).
 */
export function createOrchestrator(fn: (context: never) => Generator<unknown, unknown, never>): OrchestratorCallback {
  const testingUtils = require('durable-functions/lib/src/util/testingUtils') as {
    createOrchestrator: (f: unknown) => OrchestratorCallback;
  };
  return testingUtils.createOrchestrator(fn);
}

/** The label OrchestrationFailureError puts between the error message and the orchestrator state JSON. */
export const OUT_OF_PROC_DATA_LABEL = '\n\n$OutOfProcData$:';
