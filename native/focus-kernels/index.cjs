// Loads the compiled addon; throws (and the caller falls back to plain wasm kernels) when it was not built.
"use strict";
module.exports = require("./build/Release/focus_kernels.node");
