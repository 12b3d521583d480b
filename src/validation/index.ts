/**
 * Schema validation of OCPP payloads against the project's `schemas/` (OCA content from ocpp-rpc@2.2.1,
 * produced by `npm run schemas:sync`). Engineering notes §3/§4, rules §1.3 and §8.
 *
 *   const v = getValidator('1.6');
 *   const r = v.validate('SetChargingProfile', 'request', payload);   // { valid, violations }
 *   if (!r.valid) sendCallError(errorCodeFor(r));                        // spelled per version
 */
export { MissingSchemaError, SchemaLoadError, ValidatorSelfTestError, type Direction } from './errors';
export {
  KEYWORD_ERROR_KINDS,
  codeForKeyword,
  errorCodeFor,
  resolvePointer,
  type ValidationResult,
  type Violation,
} from './violations';
export { AJV_OPTIONS, SchemaValidator, adjustedId, getValidator, parseSchemaFileName } from './validator';
export { projectRoot, schemaManifest, schemaSource, schemasDir, type SchemaManifest } from './source';
export {
  SELF_TEST_BAD_VALUES,
  SELF_TEST_GOOD_VALUES,
  oneDecimalValues,
  selfTest,
  type SelfTestReport,
} from './selfTest';
