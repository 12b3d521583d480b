/**
 * SmartCharging, harness as CSMS, Charging Station under test (catalogue sections A, B, C).
 * Cases live in suites/cs/*.ts by topic; this file assembles them into one suite.
 */
import { defineSuite } from '../src/scenario';
import { cleanSlate } from './lib/cleanSlate';
import { settleReports } from './lib/reports';
import { coreCases } from './cs/core';
import { paginationCases } from './cs/pagination';
import { filterCases } from './cs/filters';
import { installCases } from './cs/install';
import { compositeCases } from './cs/composite';
import { rejectionCases } from './cs/rejections';
import { transactionCases } from './cs/transactions';
import { rebootCases } from './cs/reboot';
import { dynamicCases } from './cs/v21-dynamic';
import { v21OfflineCases } from './cs/v21-offline';
import { v21PurposeCases } from './cs/v21-purposes';

export default defineSuite({
  name: 'smartcharging-cs',
  block: 'SmartCharging',
  beforeEach: cleanSlate,
  // One quiet period after the case's last GetChargingProfiles read, not one per read (issue #14).
  afterEach: settleReports,
  cases: [...coreCases, ...paginationCases, ...filterCases, ...installCases, ...compositeCases, ...rejectionCases, ...transactionCases, ...rebootCases, ...dynamicCases, ...v21OfflineCases, ...v21PurposeCases],
});
