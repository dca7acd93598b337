// The one place that says how contracts/ is compiled. Used by hardhat.config.js (tests, deploy)
// and by scripts/build-artifacts.js (the committed artifact), so both produce the same bytecode.
"use strict";

const path = require("path");

/** Exact version of the npm `solc` package (solc-js) pinned in package.json. */
const SOLC_VERSION = require("solc/package.json").version;

/** Compiler settings that end up in the bytecode's metadata; outputSelection is added per caller. */
const SOLC_SETTINGS = Object.freeze({
  optimizer: Object.freeze({ enabled: true, runs: 200 }),
  evmVersion: "cancun",
});

/** Repository root; source unit names are relative to it ("contracts/AnchorRegistry.sol"). */
const REPO_ROOT = path.resolve(__dirname, "..");

const CONTRACT_NAME = "AnchorRegistry";
const SOURCE_NAME = `contracts/${CONTRACT_NAME}.sol`;
const ARTIFACT_PATH = path.join(REPO_ROOT, "contracts", "build", `${CONTRACT_NAME}.json`);

module.exports = { SOLC_VERSION, SOLC_SETTINGS, REPO_ROOT, CONTRACT_NAME, SOURCE_NAME, ARTIFACT_PATH };
