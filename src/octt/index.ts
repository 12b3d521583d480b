/** Public face of the OCTT catalogue and the certification coverage (issue #15 §3). */
export { octtSmartChargingIds } from './catalogue';
export { certificationCoverage, coverageCounts, coverageText } from './coverage';
export type { CoverageEntry, CoverageStatus, CoverageDef } from './coverage';
