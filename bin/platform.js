#!/usr/bin/env node
'use strict';
// Entry point of the `platform` command: runs the bundle that `npm ci` (prepare) or `npm run build` writes.
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'build', 'platform.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('platform: build/platform.js is missing; run `npm ci` or `npm run build` first\n');
  process.exit(2);
}
require(bundle);
