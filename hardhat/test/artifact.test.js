// The committed artifact (contracts/build/AnchorRegistry.json, loaded by Python) and Hardhat's own
// compilation of contracts/ must be the same contract: same compiler, settings and bytes.
"use strict";

const fs = require("fs");
const { expect } = require("chai");
const hre = require("hardhat");
const { ARTIFACT_PATH, CONTRACT_NAME, SOLC_VERSION, SOLC_SETTINGS } = require("../solc-settings");

describe("committed artifact", function () {
  const committed = JSON.parse(fs.readFileSync(ARTIFACT_PATH, "utf8"));
  const stale = "contracts/build is stale: run `npm run artifacts` in hardhat/";

  it("names the pinned compiler and settings", function () {
    expect(committed.compiler.version.startsWith(`${SOLC_VERSION}+`)).to.equal(true);
    expect(committed.compiler.settings).to.deep.equal({
      optimizer: { ...SOLC_SETTINGS.optimizer },
      evmVersion: SOLC_SETTINGS.evmVersion,
    });
    expect(committed._generated).to.match(/^by hardhat\/scripts\/build-artifacts\.js with solc-js .*, do not edit$/);
  });

  it("has the bytecode and ABI that Hardhat compiles from contracts/", async function () {
    const built = await hre.artifacts.readArtifact(CONTRACT_NAME);
    expect(committed.bytecode, stale).to.equal(built.bytecode);
    expect(committed.deployedBytecode, stale).to.equal(built.deployedBytecode);
    expect(committed.abi, stale).to.deep.equal(built.abi);
  });

  it("deploys to code equal to deployedBytecode (no immutables to patch)", async function () {
    const [signer] = await hre.ethers.getSigners();
    const factory = new hre.ethers.ContractFactory(committed.abi, committed.bytecode, signer);
    const c = await factory.deploy();
    await c.waitForDeployment();
    expect(await hre.ethers.provider.getCode(await c.getAddress())).to.equal(committed.deployedBytecode);
  });
});
