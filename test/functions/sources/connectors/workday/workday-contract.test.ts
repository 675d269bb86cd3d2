import { describeConnectorContract } from '../contract/connector-contract';
import { WorkdayDriver } from './workday-driver';

describeConnectorContract(new WorkdayDriver());
