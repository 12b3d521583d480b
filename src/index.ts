/**
 * Package entry (`ocpp-conformance`): the scenario API suites are written against. Subpaths of the
 * exports map: `ocpp-conformance/scenario` (the same API) and `ocpp-conformance/model` (the SmartCharging
 * reference model). Issue #15 §4: `dist/…` paths are not part of the public face.
 */
export * from './scenario';
