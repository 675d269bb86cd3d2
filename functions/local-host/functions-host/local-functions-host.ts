/**
 * The local Functions host: plays, in one process, what the Azure Functions host and Node worker do for
 * hr2ad's Functions app. It captures the app's registrations, serves its HTTP functions, fires its timers,
 * and gives the durable engine an invoker for orchestrators and activities, plus the durable client API
 * functions reach through `df.getClient(context)`.
 */
import type { Clock } from '../../../shared/ports/clock.port';
import type { Logger } from '../../../shared/ports/logger.port';
import type { DurableEngine, FunctionInvoker, StopOptions } from '../durable/durable-engine';
import { DurableApiServer } from './durable-api-server';
import type { DurableClientBinding } from './durable-client-binding';
import { captureRegistrations, type CapturedApp } from './functions-core-shim';
import { LocalFunctionInvoker } from './function-invoker';
import { LocalHttpServer } from './http-server';
import { describeRegistrations, type FunctionDescription } from './registrations';
import { ServiceBusTriggers } from './service-bus-triggers';
import { TimerScheduler } from './timer-scheduler';

/** How to build a host. Give `loadApp` (captured through the require proxy) or an already captured `app`. */
export interface LocalFunctionsHostOptions {
  /** Requires or imports the app's entry point (outside jest). */
  readonly loadApp?: () => void | Promise<void>;
  /** Registrations captured elsewhere (inside jest: `captureInto` with a mocked core module). */
  readonly app?: CapturedApp;
  /** Builds the durable engine over the host's invoker. */
  readonly engineFactory: (invoker: FunctionInvoker) => DurableEngine;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The key `function`/`admin` HTTP routes require. */
  readonly functionKey: string;
  /** Default 7071; 0 picks a free port. */
  readonly httpPort?: number;
  readonly routePrefix?: string;
  readonly taskHubName?: string;
  /** Timers wake themselves (default true); false when a virtual clock drives `timers.fireDue()`. */
  readonly realTimers?: boolean;
  /** IANA zone for timer schedules; default UTC. */
  readonly timeZone?: string;
  /** App settings: `%Name%` timer schedules, Service Bus connection strings. */
  readonly settings?: Readonly<Record<string, string | undefined>>;
  /** Service Bus triggers connect over AMQP WebSockets (default false). */
  readonly serviceBusWebSockets?: boolean;
}

/** Binding types this host provides values for; others are reported once at load. */
const SUPPORTED_BINDINGS = new Set([
  'httpTrigger',
  'http',
  'timerTrigger',
  'serviceBusTrigger',
  'orchestrationTrigger',
  'activityTrigger',
  'durableClient',
  'orchestrationClient',
]);

function reportUnsupported(descriptions: readonly FunctionDescription[], app: CapturedApp, logger: Logger): void {
  for (const d of descriptions) {
    const unsupported = [d.trigger, ...d.inputs, ...d.outputs].filter((t) => !SUPPORTED_BINDINGS.has(t));
    if (unsupported.length > 0) {
      logger.warn('function uses bindings the local host does not provide', {
        functionName: d.name,
        bindingTypes: unsupported,
      });
    }
  }
  if (app.hookCount > 0) logger.warn('app hooks are not run by the local host', { hooks: app.hookCount });
}

/** The host. */
export class LocalFunctionsHost {
  private state: 'loaded' | 'started' | 'stopped' = 'loaded';

  private constructor(
    readonly app: CapturedApp,
    readonly registrations: readonly FunctionDescription[],
    readonly invoker: LocalFunctionInvoker,
    readonly engine: DurableEngine,
    readonly durableApi: DurableApiServer,
    readonly http: LocalHttpServer,
    readonly timers: TimerScheduler,
    readonly serviceBus: ServiceBusTriggers,
  ) {}

  /** Captures the app and builds every part (the durable API already listening); `start()` runs them. */
  static async load(options: LocalFunctionsHostOptions): Promise<LocalFunctionsHost> {
    const app = options.app ?? (await captureFromLoader(options.loadApp));
    const registrations = describeRegistrations(app.registrations);
    reportUnsupported(registrations, app, options.logger);
    // The invoker is built before the durable API (the engine needs it), so it reads the binding late.
    const late: { api?: DurableApiServer } = {};
    const invoker = new LocalFunctionInvoker({
      app,
      logger: options.logger,
      durableClientBinding: () => late.api?.clientBinding,
    });
    const engine = options.engineFactory(invoker);
    const durableApi = await DurableApiServer.start({
      engine,
      logger: options.logger,
      hasOrchestrator: (name) => invoker.hasOrchestrator(name),
      taskHubName: options.taskHubName,
    });
    late.api = durableApi;
    const http = new LocalHttpServer({
      registrations: app.registrations,
      invoker,
      logger: options.logger,
      functionKey: options.functionKey,
      port: options.httpPort,
      routePrefix: options.routePrefix,
      extraHandler: durableApi.handleRequest,
    });
    const timers = new TimerScheduler({
      timers: registrations
        .filter((r) => r.trigger === 'timerTrigger' && r.schedule !== undefined)
        .map((r) => ({ name: r.name, schedule: r.schedule ?? '', runOnStartup: r.runOnStartup })),
      invoke: (name, timer) => invoker.invokeTimer(name, timer),
      clock: options.clock,
      logger: options.logger,
      realTimers: options.realTimers,
      timeZone: options.timeZone,
      settings: options.settings,
    });
    const serviceBus = new ServiceBusTriggers({
      functions: registrations
        .filter((r) => r.trigger === 'serviceBusTrigger' && !r.isSessionsEnabled)
        .map((r) => ({ name: r.name, queueName: r.queueName ?? '', connection: r.connection ?? '' })),
      invoke: (name, message) => invoker.invokeServiceBus(name, message),
      settings: options.settings ?? {},
      logger: options.logger,
      ...(options.serviceBusWebSockets ? { webSockets: true } : {}),
    });
    return new LocalFunctionsHost(app, registrations, invoker, engine, durableApi, http, timers, serviceBus);
  }

  /** Starts the engine, then the HTTP server, then the timers and Service Bus receivers (they call the others). */
  async start(): Promise<void> {
    if (this.state !== 'loaded') throw new Error(`the host cannot start once ${this.state}`);
    this.engine.start();
    await this.http.start();
    this.timers.start();
    this.serviceBus.start();
    this.state = 'started';
  }

  /**
   * Stops HTTP (answering requests in flight), then timers (waiting for runs) and Service Bus receivers
   * (settling the messages in hand), then the engine (waiting
   * for episodes and activities, unless `abandonInFlight`), and last the durable API those may still call
   * while draining.
   */
  async stop(options?: StopOptions): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await this.http.stop();
    await this.timers.stop();
    await this.serviceBus.stop();
    await this.engine.stop(options);
    await this.durableApi.stop();
  }

  /** `http://127.0.0.1:PORT`; the app's routes are under `/api/`. */
  get url(): string {
    return this.http.url;
  }

  /** The durable client binding value functions receive. */
  get durableClientBinding(): DurableClientBinding {
    return this.durableApi.clientBinding;
  }
}

async function captureFromLoader(loadApp: (() => void | Promise<void>) | undefined): Promise<CapturedApp> {
  if (!loadApp) throw new Error('give the host either loadApp or an already captured app');
  return captureRegistrations(loadApp);
}
