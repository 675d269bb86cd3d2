/**
 * The local stand-in for `@azure/functions-core`, the module the Azure Functions Node worker injects into
 * the app's process. `@azure/functions` requires it lazily (once, on the first `app.*` call) to register
 * functions and hand over its programming model; without it the library falls back to "test mode" and
 * registers nothing. Installing it the way the real worker does (a `Module.prototype.require` proxy for
 * that one module name) lets the unmodified app register itself with the local host.
 */
import Module from 'node:module';
import type { InvocationContext } from '@azure/functions';

/** One binding of a registered function, as `@azure/functions` describes it to the host. */
export interface CoreBinding {
  readonly type: string;
  readonly direction?: 'in' | 'out' | 'inout';
  readonly [option: string]: unknown;
}

/** The metadata `registerFunction` receives: binding names are hashes, so look bindings up by type. */
export interface CoreFunctionMetadata {
  readonly name: string;
  readonly bindings: Readonly<Record<string, CoreBinding>>;
  readonly retryOptions?: unknown;
}

/** The handler the library registered (the user's handler, or durable-functions' wrapper around it). */
export type CoreFunctionCallback = (...args: unknown[]) => unknown;

/** One `registerFunction` call. */
export interface CapturedRegistration {
  readonly metadata: CoreFunctionMetadata;
  readonly callback: CoreFunctionCallback;
}

/** RPC typed data, as the worker passes inputs to (and gets outputs from) the programming model. */
export interface RpcTypedData {
  readonly string?: string | null;
  readonly json?: string | null;
  readonly bytes?: Uint8Array | null;
  readonly int?: number | null;
  readonly double?: number | null;
  readonly http?: unknown;
}

/** What the worker gives the programming model for one invocation (`CoreInvocationContext`). */
export interface CoreInvocationContext {
  readonly invocationId: string;
  readonly request: {
    readonly inputData: readonly { readonly name: string; readonly data: RpcTypedData | undefined }[];
    readonly triggerMetadata: Readonly<Record<string, RpcTypedData>>;
  };
  readonly metadata: CoreFunctionMetadata;
  readonly state?: string;
  log(level: string, category: string, message: string): void;
}

/** The invocation response the programming model builds (`getResponse`). */
export interface RpcInvocationResponse {
  readonly returnValue?: RpcTypedData | null;
  readonly outputData?: readonly { readonly name: string; readonly data: RpcTypedData }[];
}

/** The per-invocation half of `@azure/functions`' programming model. */
export interface InvocationModel {
  getArguments(): Promise<{ context: InvocationContext; inputs: unknown[] }>;
  invokeFunction(context: InvocationContext, inputs: unknown[], handler: CoreFunctionCallback): Promise<unknown>;
  getResponse(context: InvocationContext, result: unknown): Promise<RpcInvocationResponse>;
}

/** `@azure/functions`' ProgrammingModel, handed over through `setProgrammingModel`. */
export interface ProgrammingModel {
  readonly name: string;
  readonly version: string;
  getInvocationModel(coreCtx: CoreInvocationContext): InvocationModel;
}

/** Where a core module puts what the app hands it. */
export interface RegistrationSink {
  readonly registrations: CapturedRegistration[];
  programmingModel: ProgrammingModel | undefined;
  /** Hooks the app registered (`app.hook.*`); counted only: the local host does not run them. */
  hookCount: number;
  /** System log lines the library writes through the core module (`workerSystemLog`). */
  readonly systemLogs: { level: string; category: string; message: string }[];
}

/** What a capture produced: every registration, and the programming model to invoke them with. */
export interface CapturedApp {
  readonly registrations: readonly CapturedRegistration[];
  readonly programmingModel: ProgrammingModel;
  readonly hookCount: number;
}

/** The module object that stands in for `@azure/functions-core`. */
export interface CoreModule {
  readonly version: string;
  readonly hostVersion: string;
  registerFunction(metadata: CoreFunctionMetadata, callback: CoreFunctionCallback): Disposable;
  registerHook(hookName: string, callback: unknown): Disposable;
  setProgrammingModel(model: ProgrammingModel): void;
  getProgrammingModel(): ProgrammingModel | undefined;
  log(level: string, category: string, message: string): void;
  readonly Disposable: typeof Disposable;
}

/** The name `@azure/functions` requires. */
export const CORE_MODULE_NAME = '@azure/functions-core';

/** Mirrors the worker's Disposable: registrations return one; disposing is a no-op locally. */
export class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  dispose(): void {
    this.onDispose();
  }
}

/** A fresh, empty sink. */
export function createRegistrationSink(): RegistrationSink {
  return { registrations: [], programmingModel: undefined, hookCount: 0, systemLogs: [] };
}

/**
 * Builds the `@azure/functions-core` module object over a sink. Inside jest (its own module registry, where
 * the require proxy has no effect) use it as a virtual mock:
 * `jest.mock('@azure/functions-core', () => createCoreModule(mockSink), { virtual: true })`, then
 * `captureInto(mockSink, () => require('./app'))`.
 */
export function createCoreModule(sink: RegistrationSink): CoreModule {
  return {
    version: '4.0.0-local',
    hostVersion: '4.0.0-local',
    registerFunction(metadata, callback) {
      sink.registrations.push({ metadata, callback });
      return new Disposable();
    },
    registerHook() {
      sink.hookCount += 1;
      return new Disposable();
    },
    setProgrammingModel(model) {
      sink.programmingModel = model;
    },
    getProgrammingModel: () => sink.programmingModel,
    log(level, category, message) {
      sink.systemLogs.push({ level, category, message });
    },
    Disposable,
  };
}

/**
 * Runs `loadApp` and returns what it registered into `sink`. Fails loudly when nothing arrived: that means
 * `@azure/functions` was already loaded in test mode (its core lookup is cached per process).
 */
export async function captureInto(sink: RegistrationSink, loadApp: () => void | Promise<void>): Promise<CapturedApp> {
  await loadApp();
  const programmingModel = sink.programmingModel ?? retainedProgrammingModel;
  if (programmingModel === undefined) {
    throw new Error(
      'no programming model was captured: @azure/functions registered nothing, or it was loaded before ' +
        'the @azure/functions-core stand-in was installed (it then stays in test mode)',
    );
  }
  retainedProgrammingModel = programmingModel;
  return { registrations: [...sink.registrations], programmingModel, hookCount: sink.hookCount };
}

/**
 * `@azure/functions` hands its programming model over once per process; a later capture in the same
 * process (a second app module) reuses it.
 */
let retainedProgrammingModel: ProgrammingModel | undefined;

/**
 * A core module that forwards to the sink of the capture in progress, and that capture. `@azure/functions`
 * keeps the first core module it receives for the life of the process (or of a jest module registry), so
 * capturing the app more than once — a host restarted in one process — needs one module that forwards.
 */
export function createForwardingCore(): {
  readonly coreModule: CoreModule;
  capture(loadApp: () => void | Promise<void>): Promise<CapturedApp>;
} {
  let activeSink: RegistrationSink | undefined;
  const coreModule = createCoreModule(
    new Proxy(createRegistrationSink(), {
      get: (fallback, key) => Reflect.get(activeSink ?? fallback, key),
      set: (fallback, key, value) => Reflect.set(activeSink ?? fallback, key, value),
    }),
  );
  return {
    coreModule,
    async capture(loadApp) {
      if (activeSink !== undefined) throw new Error('another registration capture is in progress');
      const sink = createRegistrationSink();
      activeSink = sink;
      try {
        return await captureInto(sink, loadApp);
      } finally {
        activeSink = undefined;
      }
    },
  };
}

/** The one module object the require proxy returns (the library keeps whatever it got first). */
const forwarding = createForwardingCore();
let proxyInstalled = false;

/** Installs the require proxy once, as the real worker does (`setupCoreModule`); it stays installed. */
function installRequireProxy(): void {
  if (proxyInstalled) return;
  const proto = Module.prototype as unknown as { require: (id: string) => unknown };
  proto.require = new Proxy(proto.require, {
    apply(target, thisArg: unknown, args: [string]) {
      return args[0] === CORE_MODULE_NAME ? forwarding.coreModule : Reflect.apply(target, thisArg, args);
    },
  });
  proxyInstalled = true;
}

/**
 * Installs the `@azure/functions-core` stand-in (before the app is loaded), runs `loadApp` (require or
 * import the app's entry point) and returns every registration it made. Not for use inside jest.
 */
export async function captureRegistrations(loadApp: () => void | Promise<void>): Promise<CapturedApp> {
  installRequireProxy();
  return forwarding.capture(loadApp);
}
