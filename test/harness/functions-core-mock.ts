/**
 * The `@azure/functions-core` stand-in for jest suites that start the control plane (jest's own module
 * registry bypasses the local host's require proxy). A test file maps the module to `coreModule`:
 *
 *   jest.mock('@azure/functions-core', () => jest.requireActual('<this file>').coreModule, { virtual: true })
 *
 * and passes `captureFresh` as LocalControlPlane's `capture`, so each start registers into a fresh sink.
 */
import { createForwardingCore } from '../../functions/local-host/functions-host/functions-core-shim';

const forwarding = createForwardingCore();

export const coreModule = forwarding.coreModule;
export const captureFresh = forwarding.capture;
