// The one place that says how contracts/ is compiled. Used by hardhat.config.js (tests, deploy)
// and by scripts/build-artifacts.js (the committed artifact), so both produce the same bytecode.
"use strict";

const path = require("path");

/** Exact version of the npm `solc` package (solc-js) pinned in package.json. */
const SOLC_VERSION = require("solc/package.json").version;

/**
 * Compiler settings that end up in the bytecode's metadata; outputSelection is added per caller.
 * These are the settings of the registry versions deployed before witness sets (cancun); the
 * current contract overrides the EVM version (EVM_VERSION_CURRENT).
 */
const SOLC_SETTINGS = Object.freeze({
  optimizer: Object.freeze({ enabled: true, runs: 200 }),
  evmVersion: "cancun",
});
/**
 * EVM version of the current contract (registry version 2 with witness sets): prague, the
 * hardfork that brings the EIP-2537 BLS12-381 precompiles its witnessed anchor calls.
 */
const EVM_VERSION_CURRENT = "prague";

/** Repository root; source unit names are relative to it ("contracts/AnchorRegistry.sol"). */
const REPO_ROOT = path.resolve(__dirname, "..");

const CONTRACT_NAME = "AnchorRegistry";
const SOURCE_NAME = `contracts/${CONTRACT_NAME}.sol`;
/** Registry version 2 with witness sets, the contract that new deployments get. */
const ARTIFACT_PATH = path.join(REPO_ROOT, "contracts", "build", `${CONTRACT_NAME}.json`);
/** Fully qualified name of the current contract in Hardhat (contracts/v1, v2 hold others). */
const FQN = `${SOURCE_NAME}:${CONTRACT_NAME}`;
/** The library the current contract imports (compiled into it). */
const LIBRARY_SOURCE_NAME = "contracts/BLS12381.sol";
/**
 * Registry version 1, kept so that readers recognise contracts deployed before version 2. Its
 * source lives in contracts/v1/ but is compiled under its original unit name, so the artifact
 * (and the code on chain) stays byte for byte what version 1 deployed.
 */
const V1_FILE = path.join(REPO_ROOT, "contracts", "v1", `${CONTRACT_NAME}.sol`);
const V1_ARTIFACT_PATH = path.join(REPO_ROOT, "contracts", "build", `${CONTRACT_NAME}V1.json`);
/** Registry version 2 as deployed before witness sets, kept the same way in contracts/v2/. */
const V2_FILE = path.join(REPO_ROOT, "contracts", "v2", `${CONTRACT_NAME}.sol`);
const V2_ARTIFACT_PATH = path.join(REPO_ROOT, "contracts", "build", `${CONTRACT_NAME}V2.json`);

/**
 * Every committed artifact: where its source is read from, the unit name it compiles under, the
 * EVM version, and the other sources it imports (repository-relative unit names).
 */
const ARTIFACTS = Object.freeze([
  Object.freeze({
    file: path.join(REPO_ROOT, SOURCE_NAME),
    sourceName: SOURCE_NAME,
    artifactPath: ARTIFACT_PATH,
    evmVersion: EVM_VERSION_CURRENT,
    imports: Object.freeze([LIBRARY_SOURCE_NAME]),
  }),
  Object.freeze({ file: V2_FILE, sourceName: SOURCE_NAME, artifactPath: V2_ARTIFACT_PATH, evmVersion: SOLC_SETTINGS.evmVersion, imports: Object.freeze([]) }),
  Object.freeze({ file: V1_FILE, sourceName: SOURCE_NAME, artifactPath: V1_ARTIFACT_PATH, evmVersion: SOLC_SETTINGS.evmVersion, imports: Object.freeze([]) }),
]);

module.exports = {
  SOLC_VERSION,
  SOLC_SETTINGS,
  EVM_VERSION_CURRENT,
  REPO_ROOT,
  CONTRACT_NAME,
  SOURCE_NAME,
  ARTIFACT_PATH,
  FQN,
  LIBRARY_SOURCE_NAME,
  V1_FILE,
  V1_ARTIFACT_PATH,
  V2_FILE,
  V2_ARTIFACT_PATH,
  ARTIFACTS,
};
