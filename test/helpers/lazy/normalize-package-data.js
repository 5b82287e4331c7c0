'use strict';
const path = require('node:path');
module.exports = require('../lazy-module')(require.resolve('normalize-package-data', { paths: [path.dirname(require.resolve('@pulumi/pulumi/package.json'))] }));
