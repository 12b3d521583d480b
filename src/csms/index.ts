export { CsmsStationState, csmsDefaultHandlers, installCsmsDefaults, type TransactionRecord, type StationInfo } from './handlers';
