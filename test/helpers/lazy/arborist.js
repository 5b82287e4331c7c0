'use strict';
const path = require('node:path');
// Resolved from @pulumi/pulumi, where it is installed, by file path (the mapper matches only the bare name).
module.exports = require('../lazy-module')(require.resolve('@npmcli/arborist', { paths: [path.dirname(require.resolve('@pulumi/pulumi/package.json'))] }));
