/**
 * Personio end to end through the connector end-to-end suite (fixtures/connector-e2e.ts): the fake Personio
 * (every request validated against Personio's OpenAPI documents) → the local control plane → the Samba DC.
 *
 * Personio publishes no future-dated attribute values: a transfer dated ahead becomes visible on its date,
 * and the poll that day brings it; the fake's today is the control plane's virtual clock.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { PersonioDriver } from '../sources/connectors/personio/personio-driver';
import { describeConnectorEndToEnd } from './fixtures/connector-e2e';

describeConnectorEndToEnd(new PersonioDriver());
