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
/** Registry version 2, the contract that new deployments get. */
const ARTIFACT_PATH = path.join(REPO_ROOT, "contracts", "build", `${CONTRACT_NAME}.json`);
/** Fully qualified name of the version 2 contract in Hardhat (contracts/v1 holds another one). */
const FQN = `${SOURCE_NAME}:${CONTRACT_NAME}`;
/**
 * Registry version 1, kept so that readers recognise contracts deployed before version 2. Its
 * source lives in contracts/v1/ but is compiled under its original unit name, so the artifact
 * (and the code on chain) stays byte for byte what version 1 deployed.
 */
const V1_FILE = path.join(REPO_ROOT, "contracts", "v1", `${CONTRACT_NAME}.sol`);
const V1_ARTIFACT_PATH = path.join(REPO_ROOT, "contracts", "build", `${CONTRACT_NAME}V1.json`);

/** Every committed artifact: where its source is read from and the unit name it compiles under. */
const ARTIFACTS = Object.freeze([
  Object.freeze({ file: path.join(REPO_ROOT, SOURCE_NAME), sourceName: SOURCE_NAME, artifactPath: ARTIFACT_PATH }),
  Object.freeze({ file: V1_FILE, sourceName: SOURCE_NAME, artifactPath: V1_ARTIFACT_PATH }),
]);

module.exports = {
  SOLC_VERSION,
  SOLC_SETTINGS,
  REPO_ROOT,
  CONTRACT_NAME,
  SOURCE_NAME,
  ARTIFACT_PATH,
  FQN,
  V1_FILE,
  V1_ARTIFACT_PATH,
  ARTIFACTS,
};
