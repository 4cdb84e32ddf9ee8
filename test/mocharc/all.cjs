/** `npm test`: every test file (test/mocharc/suite.cjs). */
module.exports = require("./suite.cjs")({ quick: false });
