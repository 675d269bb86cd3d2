/**
 * A typed view over captured registrations. Binding names are hashes of the binding JSON (stable but
 * unreadable), so everything here finds bindings by `type`.
 */
import type { CapturedRegistration, CoreBinding } from './functions-core-shim';

/** Trigger types the local host knows; any other `*Trigger` type is reported as-is. */
export type TriggerType =
  | 'httpTrigger'
  | 'timerTrigger'
  | 'serviceBusTrigger'
  | 'orchestrationTrigger'
  | 'activityTrigger'
  | 'entityTrigger'
  | (string & { readonly _other?: never });

/** How one function is wired: its trigger, trigger options and the types of its other bindings. */
export interface FunctionDescription {
  readonly name: string;
  readonly trigger: TriggerType;
  /** HTTP: the route as registered (the function name when none was given, as the host does). */
  readonly route?: string;
  /** HTTP: upper-case methods. */
  readonly methods?: readonly string[];
  readonly authLevel?: string;
  /** Timer: the NCRONTAB expression (or TimeSpan) as registered. */
  readonly schedule?: string;
  readonly runOnStartup?: boolean;
  /** Service Bus: the queue, the app setting holding the connection string, and whether it has sessions. */
  readonly queueName?: string;
  readonly connection?: string;
  readonly isSessionsEnabled?: boolean;
  /** Types of the extra input bindings (e.g. `durableClient`). */
  readonly inputs: readonly string[];
  /** Types of the output bindings (`http` for an HTTP function's return). */
  readonly outputs: readonly string[];
}

/** Durable client binding types (the v3 name and the older one). */
export const DURABLE_CLIENT_TYPES: ReadonlySet<string> = new Set(['durableClient', 'orchestrationClient']);

/** A binding with the name the metadata keys it by. */
export interface NamedBinding {
  readonly name: string;
  readonly binding: CoreBinding;
}

function isTriggerType(type: string): boolean {
  return /trigger$/i.test(type);
}

/** Every binding of a function, with its key. */
export function bindingsOf(registration: CapturedRegistration): NamedBinding[] {
  return Object.entries(registration.metadata.bindings).map(([name, binding]) => ({ name, binding }));
}

/** The function's trigger binding (exactly one per function, as the library enforces). */
export function triggerOf(registration: CapturedRegistration): NamedBinding {
  const found = bindingsOf(registration).find((b) => isTriggerType(b.binding.type));
  if (!found) throw new Error(`function ${registration.metadata.name} has no trigger binding`);
  return found;
}

/** The bindings of one type (e.g. `durableClient`), case-insensitively as the host compares types. */
export function bindingsOfType(registration: CapturedRegistration, ...types: string[]): NamedBinding[] {
  const wanted = new Set(types.map((t) => t.toLowerCase()));
  return bindingsOf(registration).filter((b) => wanted.has(b.binding.type.toLowerCase()));
}

/** Registrations whose trigger has this type. */
export function registrationsByTrigger(
  registrations: readonly CapturedRegistration[],
  trigger: TriggerType,
): CapturedRegistration[] {
  return registrations.filter((r) => triggerOf(r).binding.type.toLowerCase() === trigger.toLowerCase());
}

/** The registration of that name, if any. */
export function findRegistration(
  registrations: readonly CapturedRegistration[],
  name: string,
): CapturedRegistration | undefined {
  return registrations.find((r) => r.metadata.name === name);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function triggerOptions(registration: CapturedRegistration, trigger: CoreBinding): Partial<FunctionDescription> {
  switch (trigger.type) {
    case 'httpTrigger': {
      const methods = Array.isArray(trigger['methods']) ? (trigger['methods'] as unknown[]) : ['GET', 'POST'];
      return {
        route: optionalString(trigger['route']) ?? registration.metadata.name,
        methods: methods.map((m) => String(m).toUpperCase()),
        authLevel: optionalString(trigger['authLevel']) ?? 'anonymous',
      };
    }
    case 'timerTrigger':
      return { schedule: optionalString(trigger['schedule']), runOnStartup: trigger['runOnStartup'] === true };
    case 'serviceBusTrigger':
      return {
        queueName: optionalString(trigger['queueName']),
        connection: optionalString(trigger['connection']),
        isSessionsEnabled: trigger['isSessionsEnabled'] === true,
      };
    default:
      return {};
  }
}

/** One description per registered function, in registration order. */
export function describeRegistrations(registrations: readonly CapturedRegistration[]): FunctionDescription[] {
  return registrations.map((registration) => {
    const trigger = triggerOf(registration);
    const others = bindingsOf(registration).filter((b) => b !== trigger && b.name !== trigger.name);
    return {
      name: registration.metadata.name,
      trigger: trigger.binding.type,
      ...triggerOptions(registration, trigger.binding),
      inputs: others.filter((b) => b.binding.direction !== 'out').map((b) => b.binding.type),
      outputs: others.filter((b) => b.binding.direction !== 'in').map((b) => b.binding.type),
    };
  });
}
