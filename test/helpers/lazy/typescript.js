'use strict';
module.exports = require('../lazy-module')(require.resolve('typescript/lib/typescript.js'));
