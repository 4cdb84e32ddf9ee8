// Loaded by mocha before every test file (.mocharc.json).
// The AWS SDK warns on Node 20 about releases after January 2027; the lock file pins working versions.
process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING = "1";
