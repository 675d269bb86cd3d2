import { describeConnectorContract } from '../contract/connector-contract';
import { PersonioDriver } from './personio-driver';

describeConnectorContract(new PersonioDriver());
