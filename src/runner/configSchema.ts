/**
 * Schema of ocpp-conformance.config.json, alone in its module so that scripts/gen-config-validator.ts can
 * compile it ahead of time (src/runner/configValidate.generated.ts) without loading the rest of the runner.
 */
const triggerProperties = {
  type: { enum: ['http', 'command', 'manual'] },
  method: { type: 'string' },
  url: { type: 'string' },
  headers: { type: 'object', additionalProperties: { type: 'string' } },
  body: {},
  success: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 100, maximum: 599 } },
      pointer: { type: 'string', pattern: '^(/.*)?$' },
      equals: {},
    },
  },
  refusalPointer: { type: 'string', pattern: '^(/.*)?$' },
  callback: { type: 'object', additionalProperties: false, properties: { timeoutMs: { type: 'integer', minimum: 1 } } },
  command: { type: 'string' },
  prompt: { type: 'string' },
} as const;

const trigger = { type: 'object', required: ['type'], properties: triggerProperties, additionalProperties: false } as const;
/** triggers.actions.X: `type` may be left out to override the http default. */
const triggerOverride = { type: 'object', properties: triggerProperties, additionalProperties: false } as const;

/** Schema of ocpp-conformance.config.json. Every property optional: defaults < file < CLI flags. */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    ocpp: { enum: ['1.6', '2.0.1', '2.1'] },
    as: { enum: ['csms', 'station'] },
    // HOST:PORT, :PORT or a bare PORT (loopback), issue #15 §4; parseListen gives the friendly message.
    listen: { type: 'string', pattern: '^([^\\s:]*:)?[0-9]{1,5}$' },
    url: { type: 'string', pattern: '^wss?://' },
    identity: { type: 'string', minLength: 1, maxLength: 48 },
    security: {
      type: 'object',
      additionalProperties: false,
      properties: {
        password: { type: 'string', minLength: 1 },
        tls: {
          type: 'object',
          additionalProperties: false,
          properties: { cert: { type: 'string' }, key: { type: 'string' }, ca: { type: 'string' }, requestClientCert: { type: 'boolean' } },
        },
      },
    },
    device: {
      type: 'object',
      additionalProperties: false,
      properties: {
        evses: { type: 'integer', minimum: 1, maximum: 64 },
        connectorsPerEvse: { type: 'integer', minimum: 1, maximum: 8 },
        rateUnits: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['A', 'W'] } },
        maxStackLevel: { type: 'integer', minimum: 0 },
        maxProfiles: { type: 'integer', minimum: 1 },
        periodsPerSchedule: { type: 'integer', minimum: 1, maximum: 1024 },
        nominalVoltage: { type: 'number', exclusiveMinimum: 0 },
        features: { type: 'object', additionalProperties: { type: 'boolean' } },
      },
    },
    timing: {
      type: 'object',
      additionalProperties: false,
      properties: {
        toleranceS: { type: 'number', minimum: 0 },
        callTimeoutMs: { type: 'integer', minimum: 1 },
        caseTimeoutMs: { type: 'integer', minimum: 1 },
        graceMs: { type: 'integer', minimum: 0 },
        connectTimeoutMs: { type: 'integer', minimum: 1 },
        slowAnswerMs: { type: 'integer', minimum: 0 },
        rebootTimeoutMs: { type: 'integer', minimum: 1 },
        dynamicPullTimeoutMs: { type: 'integer', minimum: 1 },
      },
    },
    manual: { enum: ['prompt', 'fail', 'skip'] },
    triggers: {
      type: 'object',
      additionalProperties: false,
      properties: { default: trigger, actions: { type: 'object', additionalProperties: triggerOverride }, readBack: trigger },
    },
    stationActions: {
      type: 'object',
      additionalProperties: false,
      properties: { plugIn: trigger, unplug: trigger, presentIdToken: trigger, reboot: trigger },
    },
    suites: { type: 'array', items: { type: 'string', minLength: 1 } },
    grep: { type: 'string' },
    reporters: { type: 'array', items: { enum: ['console', 'junit', 'json', 'html', 'github'] } },
    out: { type: 'string', minLength: 1 },
    bail: { type: 'boolean' },
    includeSlow: { type: 'boolean' },
    maxSkipped: { type: 'integer', minimum: 0 },
    builtinFaults: { type: 'array', items: { type: 'string' } },
    builtinQuirks: { type: 'array', items: { type: 'string' } },
    csms: {
      type: 'object',
      additionalProperties: false,
      properties: {
        authorize: {
          type: 'object',
          additionalProperties: false,
          properties: {
            default: { enum: ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'] },
            tokens: { type: 'object', additionalProperties: { enum: ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'] } },
          },
        },
        firstTransactionId: { type: 'integer', minimum: 1, maximum: 2147483647 },
      },
    },
  },
} as const;
