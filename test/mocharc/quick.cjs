/** `npm run test:quick`: every test file but the package install and build tests and the browser tests (test/mocharc/suite.cjs). */
module.exports = require("./suite.cjs")({ quick: true });
