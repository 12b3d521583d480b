#!/usr/bin/env node
'use strict';
require('../dist/src/cli/main.js').main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`ocpp-conformance: ${err && err.message ? err.message : err}\n`); process.exitCode = 2; },
);
