// Hardhat 2 configuration for siteledger's contracts.
//
// The project root is the repository root so that ../contracts is a local source folder
// (Hardhat 2 refuses sources outside its root) and source names match the committed artifact
// ("contracts/AnchorRegistry.sol"). Compilation is offline: the solc build subtask returns the
// solc-js compiler from node_modules instead of downloading one.
"use strict";

require("@nomicfoundation/hardhat-ethers");
require("@nomicfoundation/hardhat-chai-matchers");

const { subtask } = require("hardhat/config");
const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = require("hardhat/builtin-tasks/task-names");
const { SOLC_VERSION, SOLC_SETTINGS, EVM_VERSION_CURRENT, REPO_ROOT, SOURCE_NAME } = require("./solc-settings");

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async ({ solcVersion }) => {
  if (solcVersion !== SOLC_VERSION) {
    throw new Error(
      `hardhat.config.js: asked for solc ${solcVersion}, but only the pinned npm solc ${SOLC_VERSION} is available offline`,
    );
  }
  const solc = require("solc");
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

const networks = {
  // `npx hardhat node` serves this network on 127.0.0.1:8545.
  hardhat: {},
  // A running anvil or `hardhat node` on the default port.
  localhost: { url: process.env.SITELEDGER_RPC_URL || "http://127.0.0.1:8545" },
};
// Any other Ethereum-compatible JSON-RPC endpoint, with the deployer key from the environment.
if (process.env.SITELEDGER_RPC_URL && process.env.SITELEDGER_DEPLOYER_KEY) {
  networks.rpc = { url: process.env.SITELEDGER_RPC_URL, accounts: [process.env.SITELEDGER_DEPLOYER_KEY] };
}

/** @type import('hardhat/config').HardhatUserConfig */
module.exports = {
  solidity: {
    compilers: [
      { version: SOLC_VERSION, settings: { optimizer: { ...SOLC_SETTINGS.optimizer }, evmVersion: SOLC_SETTINGS.evmVersion } },
    ],
    // the current contract (and the library it imports) for prague, as its committed artifact
    overrides: {
      [SOURCE_NAME]: {
        version: SOLC_VERSION,
        settings: { optimizer: { ...SOLC_SETTINGS.optimizer }, evmVersion: EVM_VERSION_CURRENT },
      },
    },
  },
  networks,
  paths: {
    root: REPO_ROOT,
    sources: "contracts",
    tests: "hardhat/test",
    cache: "hardhat/cache",
    artifacts: "hardhat/artifacts",
  },
  mocha: { timeout: 120000 },
};
