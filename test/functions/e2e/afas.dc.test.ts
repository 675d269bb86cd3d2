/**
 * AFAS end to end through the connector end-to-end suite (fixtures/connector-e2e.ts): the fake AFAS
 * (every request checked as AFAS documents GetConnector REST) → the local control plane → the Samba DC.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { AfasDriver } from '../sources/connectors/afas/afas-driver';
import { describeConnectorEndToEnd } from './fixtures/connector-e2e';

describeConnectorEndToEnd(new AfasDriver());
