/**
 * HiBob end to end through the connector end-to-end suite (fixtures/connector-e2e.ts): the fake HiBob
 * (every request validated against HiBob's OpenAPI document) → the local control plane → the Samba DC.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { HibobDriver } from '../sources/connectors/hibob/hibob-driver';
import { describeConnectorEndToEnd } from './fixtures/connector-e2e';

describeConnectorEndToEnd(new HibobDriver());
