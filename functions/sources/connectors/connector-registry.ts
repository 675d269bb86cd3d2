/**
 * The native HR connectors hr2ad knows, one entry each: the `kind` a source names in the configuration,
 * the settings schema (validated with the rest of the configuration), and how to build the source from
 * settings. Every host (the local process, the Azure app) builds its connector sources here, so a new
 * connector is one entry in this list and one in `CONNECTOR_SETTINGS`.
 */
import type { z } from 'zod';
import type { HrSource } from '../../../shared/ports/hr-source.port';
import type { ConnectorDeps, ConnectorSettingsBase } from './connector-deps';
export type { ConnectorDeps, ConnectorSettingsBase } from './connector-deps';
import { bamboohrSourceFrom, bamboohrSourceSettings } from './bamboohr/bamboohr-source-config';
import { hibobSourceFrom, hibobSourceSettings } from './hibob/hibob-source-config';
import { personioSourceFrom, personioSourceSettings } from './personio/personio-source-config';
import { successfactorsSourceFrom, successfactorsSourceSettings } from './successfactors/successfactors-source-config';
import { afasSourceFrom, afasSourceSettings } from './afas/afas-source-config';
import { workdaySourceFrom, workdaySourceSettings } from './workday/workday-source-config';

export interface Connector<Settings extends ConnectorSettingsBase> {
  /** The configuration's `kind` (`bamboohr`). */
  readonly kind: Settings['kind'];
  /** The vendor as people name it (`BambooHR`), in messages and docs. */
  readonly vendor: string;
  readonly settings: z.ZodType<Settings>;
  build(settings: Settings, deps: ConnectorDeps): HrSource;
}

/** Erases an entry's own settings type: `build` only ever gets settings its own schema accepted. */
function connector<Settings extends ConnectorSettingsBase>(
  entry: Connector<Settings>,
): Connector<ConnectorSettingsBase> {
  return entry as unknown as Connector<ConnectorSettingsBase>;
}

/** The settings schemas, as a tuple so the configuration's source union can spread them. */
export const CONNECTOR_SETTINGS = [
  bamboohrSourceSettings,
  hibobSourceSettings,
  personioSourceSettings,
  afasSourceSettings,
  successfactorsSourceSettings,
  workdaySourceSettings,
] as const;

export const CONNECTORS: readonly Connector<ConnectorSettingsBase>[] = [
  connector({ kind: 'bamboohr', vendor: 'BambooHR', settings: bamboohrSourceSettings, build: bamboohrSourceFrom }),
  connector({ kind: 'hibob', vendor: 'HiBob', settings: hibobSourceSettings, build: hibobSourceFrom }),
  connector({ kind: 'personio', vendor: 'Personio', settings: personioSourceSettings, build: personioSourceFrom }),
  connector({
    kind: 'successfactors',
    vendor: 'SuccessFactors',
    settings: successfactorsSourceSettings,
    build: successfactorsSourceFrom,
  }),
  connector({ kind: 'afas', vendor: 'AFAS', settings: afasSourceSettings, build: afasSourceFrom }),
  connector({ kind: 'workday', vendor: 'Workday', settings: workdaySourceSettings, build: workdaySourceFrom }),
];

/** The connector a source kind names, or undefined for a file or a pushed source. */
export function connectorFor(kind: string): Connector<ConnectorSettingsBase> | undefined {
  return CONNECTORS.find((c) => c.kind === kind);
}

/** The configured sources hr2ad reads through a connector, built, with their schedules. */
export function connectorSources(
  sources: readonly { readonly kind: string }[],
  deps: ConnectorDeps,
): { readonly source: HrSource; readonly schedule: string; readonly fullReadSchedule?: string }[] {
  return sources.flatMap((settings) => {
    const found = connectorFor(settings.kind);
    if (!found) return [];
    const typed = settings as ConnectorSettingsBase;
    const full = typed.fullReadSchedule ? { fullReadSchedule: typed.fullReadSchedule } : {};
    return [{ source: found.build(typed, deps), schedule: typed.schedule, ...full }];
  });
}
