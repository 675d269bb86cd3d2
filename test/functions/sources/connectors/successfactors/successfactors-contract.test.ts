import { describeConnectorContract } from '../contract/connector-contract';
import { SuccessFactorsDriver } from './successfactors-driver';

describeConnectorContract(new SuccessFactorsDriver());
