// Bundle the CLI once so that tests spawning `bin/platform.js` exercise the current sources.
const { buildCli } = require('../scripts/build.js');

module.exports = async () => {
  await buildCli();
};
