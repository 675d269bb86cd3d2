/**
 * SuccessFactors end to end through the connector end-to-end suite (fixtures/connector-e2e.ts): the fake SuccessFactors
 * (every request validated as SuccessFactors OData v2, OAuth SAML bearer) → the local control plane → the Samba DC.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { SuccessFactorsDriver } from '../sources/connectors/successfactors/successfactors-driver';
import { describeConnectorEndToEnd } from './fixtures/connector-e2e';

describeConnectorEndToEnd(new SuccessFactorsDriver());
