/// <reference types="mocha" />
// The mocha globals (describe, it, …) are typed for the tests only, here:
// tsconfig.json types the program with Node's types alone, so a deploy that
// installs production dependencies only still type-checks it.
// Loaded by mocha before every test file (.mocharc.json).
// The AWS SDK warns on Node 20 about its releases after January 2027; the lock
// file pins versions that work, so the warning is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
