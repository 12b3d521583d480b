/** Public face of the reporting layer. */
export * from './types';
export type { Reporter, RunBeginInfo, DeviceProfileInfo, CaseBeginInfo, ReporterHook, MultiplexerOptions } from './reporter';
export { ReporterMultiplexer, ReporterError } from './reporter';
export { ConsoleReporter, decideColorLevel } from './console';
export type { ConsoleReporterOptions, OutputStream, ColorDecisionInput } from './console';
export { JUnitReporter, buildJUnitXml, classNameOf, baseTestName, utcTimestamp } from './junit';
export type { JUnitReporterOptions } from './junit';
export { JsonReporter, buildResultsJson } from './json';
export type { JsonReporterOptions } from './json';
export { createReporters, UnknownReporterError, REPORTER_NAMES } from './create';
export type { CreateReportersOptions, ReporterName } from './create';
export { writeFileAtomic } from './atomic';
export { xmlSafe, oneLine, verdictLabel } from './text';
export { collapseFailures, collapseNotes, countedMessage } from './collapse';
export type { Counted } from './collapse';
export { RULES_DOC, RULES_DOC_BASE, citedSections, ruleAnchor, ruleUrl } from './rules';
export type { VerdictLabel } from './text';
