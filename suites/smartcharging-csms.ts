/**
 * SmartCharging, harness as Charging Station, CSMS under test (catalogue section D).
 */
import { defineSuite } from '../src/scenario';

export default defineSuite({
  name: 'smartcharging-csms',
  block: 'SmartCharging',
  cases: [],
});
