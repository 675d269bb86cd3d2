import { describeConnectorContract } from '../contract/connector-contract';
import { BambooHrDriver } from './bamboohr-driver';

describeConnectorContract(new BambooHrDriver());
