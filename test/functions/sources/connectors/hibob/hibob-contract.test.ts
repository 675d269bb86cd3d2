import { describeConnectorContract } from '../contract/connector-contract';
import { HibobDriver } from './hibob-driver';

describeConnectorContract(new HibobDriver());
