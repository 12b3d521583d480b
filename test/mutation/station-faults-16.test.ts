import { stationFaultSuite } from './station-faults';

jest.setTimeout(180_000);
stationFaultSuite('1.6');
