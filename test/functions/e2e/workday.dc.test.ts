/**
 * Workday end to end through the connector end-to-end suite (fixtures/connector-e2e.ts): the fake Workday
 * (every Get_Workers envelope checked against Workday's schema) → the local control plane → the Samba DC.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { WorkdayDriver } from '../sources/connectors/workday/workday-driver';
import { describeConnectorEndToEnd } from './fixtures/connector-e2e';

describeConnectorEndToEnd(new WorkdayDriver());
