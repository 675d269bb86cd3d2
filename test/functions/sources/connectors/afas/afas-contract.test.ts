import { describeConnectorContract } from '../contract/connector-contract';
import { AfasDriver } from './afas-driver';

describeConnectorContract(new AfasDriver());
