/**
 * Runs the app's registered functions the way the Azure Functions Node worker does: through the
 * programming model `@azure/functions` handed over (`getInvocationModel` → `getArguments` →
 * `invokeFunction` → `getResponse`). That path, rather than calling handlers with a hand-made
 * InvocationContext, is the faithful one: the library itself builds the HttpRequest, camel-cases the timer
 * info, fills `extraInputs` (the durable client binding), builds a fresh InvocationContext per call and
 * converts the HTTP response, exactly as in Azure.
 */
import { randomUUID } from 'node:crypto';
import type { Timer } from '@azure/functions';
import type { FunctionInvoker, OrchestrationTriggerPayload, OrchestratorEpisode } from '../durable/durable-engine';
import type { Logger } from '../../../shared/ports/logger.port';
import type { DurableClientBinding } from './durable-client-binding';
import type { CapturedApp, CapturedRegistration, RpcInvocationResponse, RpcTypedData } from './functions-core-shim';
import { DURABLE_CLIENT_TYPES, bindingsOf, findRegistration, triggerOf } from './registrations';
import {
  serviceBusTriggerMetadata,
  toRpcMessageBody,
  type ServiceBusTriggerMessage,
  fromRpcHttpResponse,
  fromRpcTypedData,
  toRpcHttpTrigger,
  toRpcJsonString,
  type LocalHttpRequest,
  type LocalHttpResponse,
} from './rpc-data';

/** A function name the app did not register (or registered with another trigger). */
export class FunctionNotFoundError extends Error {
  constructor(
    readonly functionName: string,
    readonly trigger: string,
  ) {
    super(`no ${trigger} function named ${functionName} is registered`);
    this.name = 'FunctionNotFoundError';
  }
}

/**
 * An orchestrator episode that failed (durable-functions rejected with OrchestrationFailureError). The
 * message is the orchestration's error; `episode` is the state it reported, when it could be read.
 */
export class OrchestratorFailedError extends Error {
  constructor(
    message: string,
    readonly episode: OrchestratorEpisode | undefined,
  ) {
    super(message);
    this.name = 'OrchestratorFailedError';
  }
}

/** What the invoker needs. */
export interface LocalFunctionInvokerOptions {
  readonly app: CapturedApp;
  readonly logger: Logger;
  /** The durable client binding value; read per call, since the durable API starts after the invoker. */
  readonly durableClientBinding: () => DurableClientBinding | undefined;
}

const OUT_OF_PROC_LABEL = '\n\n$OutOfProcData$:';

type LogMethod = 'debug' | 'info' | 'warn' | 'error';
const LOG_LEVELS: Readonly<Record<string, LogMethod>> = {
  trace: 'debug',
  debug: 'debug',
  information: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
};

/** Upper-cases the first letter of every key: the host sends .NET-cased JSON the library camel-cases. */
function toPascalCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPascalCase);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), toPascalCase(v)]),
  );
}

/** Reads the state durable-functions appends to a failed orchestration's error message. */
export function parseOrchestrationFailure(error: unknown): OrchestratorFailedError | undefined {
  if (!(error instanceof Error)) return undefined;
  const at = error.message.indexOf(OUT_OF_PROC_LABEL);
  if (at < 0) return undefined;
  let episode: OrchestratorEpisode | undefined;
  try {
    episode = JSON.parse(error.message.slice(at + OUT_OF_PROC_LABEL.length)) as OrchestratorEpisode;
  } catch {
    episode = undefined;
  }
  // The text before the label is not the orchestration's error (durable-functions puts `false` there).
  return new OrchestratorFailedError(episode?.error ?? error.message.slice(0, at), episode);
}

/** The host side of every invocation: HTTP, timer, orchestrator and activity functions. */
export class LocalFunctionInvoker implements FunctionInvoker {
  constructor(private readonly options: LocalFunctionInvokerOptions) {}

  /** Runs an HTTP function with the request; the response is what the function returned. */
  async invokeHttp(name: string, request: LocalHttpRequest): Promise<LocalHttpResponse> {
    const response = await this.invoke(this.registration(name, 'httpTrigger'), toRpcHttpTrigger(request));
    return fromRpcHttpResponse(response.returnValue ?? this.httpOutput(name, response));
  }

  /** Runs a timer function with the timer info (the library's camel-case `Timer` shape). */
  async invokeTimer(name: string, timer: Timer): Promise<void> {
    await this.invoke(this.registration(name, 'timerTrigger'), { string: JSON.stringify(toPascalCase(timer)) });
  }

  /**
   * Runs a Service Bus function with one message, as the host's Service Bus extension passes it: the body
   * as the trigger input, the message's properties as trigger metadata (PascalCase; the library camel-cases).
   */
  async invokeServiceBus(name: string, message: ServiceBusTriggerMessage): Promise<void> {
    await this.invoke(
      this.registration(name, 'serviceBusTrigger'),
      toRpcMessageBody(message.body),
      serviceBusTriggerMetadata(message),
    );
  }

  /** Runs one orchestrator episode; a failed orchestration rejects with OrchestratorFailedError. */
  async invokeOrchestrator(name: string, payload: OrchestrationTriggerPayload): Promise<OrchestratorEpisode> {
    const registration = this.registration(name, 'orchestrationTrigger');
    try {
      const response = await this.invoke(registration, { string: JSON.stringify(payload) });
      return fromRpcTypedData(response.returnValue) as OrchestratorEpisode;
    } catch (error) {
      throw parseOrchestrationFailure(error) ?? error;
    }
  }

  /** Runs an activity with its input; rejects with the activity's error. */
  async invokeActivity(name: string, input: unknown): Promise<unknown> {
    const response = await this.invoke(this.registration(name, 'activityTrigger'), toRpcJsonString(input));
    return fromRpcTypedData(response.returnValue);
  }

  hasOrchestrator(name: string): boolean {
    return this.find(name, 'orchestrationTrigger') !== undefined;
  }

  hasActivity(name: string): boolean {
    return this.find(name, 'activityTrigger') !== undefined;
  }

  private find(name: string, trigger: string): CapturedRegistration | undefined {
    const registration = findRegistration(this.options.app.registrations, name);
    return registration && triggerOf(registration).binding.type === trigger ? registration : undefined;
  }

  private registration(name: string, trigger: string): CapturedRegistration {
    const registration = this.find(name, trigger);
    if (!registration) throw new FunctionNotFoundError(name, trigger);
    return registration;
  }

  /** An HTTP function whose response goes to a named `http` output instead of `$return`. */
  private httpOutput(name: string, response: RpcInvocationResponse): RpcTypedData | undefined {
    const registration = this.registration(name, 'httpTrigger');
    const httpNames = new Set(
      bindingsOf(registration)
        .filter((b) => b.binding.direction === 'out' && b.binding.type.toLowerCase() === 'http')
        .map((b) => b.name),
    );
    return response.outputData?.find((o) => httpNames.has(o.name))?.data;
  }

  /** The input data the host supplies besides the trigger: the durable client, for functions that ask. */
  private extraInputData(registration: CapturedRegistration): { name: string; data: RpcTypedData | undefined }[] {
    const clients = bindingsOf(registration).filter(
      (b) => b.binding.direction !== 'out' && DURABLE_CLIENT_TYPES.has(b.binding.type),
    );
    if (clients.length === 0) return [];
    const binding = this.options.durableClientBinding();
    if (!binding) throw new Error(`function ${registration.metadata.name} needs the durable API, which is not running`);
    return clients.map((c) => ({ name: c.name, data: { string: JSON.stringify(binding) } }));
  }

  /** One worker-style invocation: a fresh invocation model (and so a fresh InvocationContext) per call. */
  private async invoke(
    registration: CapturedRegistration,
    triggerData: RpcTypedData | undefined,
    triggerMetadata: Readonly<Record<string, RpcTypedData>> = {},
  ): Promise<RpcInvocationResponse> {
    const invocationId = randomUUID();
    const functionName = registration.metadata.name;
    const logger = this.options.logger;
    const model = this.options.app.programmingModel.getInvocationModel({
      invocationId,
      metadata: registration.metadata,
      request: {
        inputData: [{ name: triggerOf(registration).name, data: triggerData }, ...this.extraInputData(registration)],
        triggerMetadata,
      },
      log(level, category, message) {
        const method = LOG_LEVELS[level];
        // The text is the function's own log line; what varies stays in fields, per the Logger port.
        if (method) logger[method]('function log', { functionName, invocationId, category, text: message });
      },
    });
    const { context, inputs } = await model.getArguments();
    const result = await model.invokeFunction(context, inputs, registration.callback);
    return model.getResponse(context, result);
  }
}
