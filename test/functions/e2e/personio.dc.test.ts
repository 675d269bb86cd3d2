/**
 * Personio end to end through the connector end-to-end suite (fixtures/connector-e2e.ts): the fake Personio
 * (every request validated against Personio's OpenAPI documents) → the local control plane → the Samba DC.
 *
 * Personio publishes no future-dated attribute values: a transfer dated ahead becomes visible on its date,
 * so the fake's today is the control plane's virtual clock (the one the scenario moves).
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { VirtualClock } from '../../../functions/local-host/virtual-clock';
import { PersonioDriver } from '../sources/connectors/personio/personio-driver';
import { describeConnectorEndToEnd } from './fixtures/connector-e2e';

/** The scenario's virtual clock, caught the first time the control plane asks it the time. */
const scenarioClocks: VirtualClock[] = [];
const virtualNow = VirtualClock.prototype.now;
jest.spyOn(VirtualClock.prototype, 'now').mockImplementation(function (this: VirtualClock) {
  if (scenarioClocks.length === 0) scenarioClocks.push(this);
  return virtualNow.call(this);
});

describeConnectorEndToEnd(new PersonioDriver(() => scenarioClocks[0]?.now() ?? new Date()));
