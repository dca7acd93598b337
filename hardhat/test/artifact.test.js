// The committed artifacts (contracts/build/*.json, loaded by Python) against Hardhat's own
// compilation of contracts/: the version 2 artifact is the same contract (same compiler, settings
// and bytes); the version 1 artifact is the contract in contracts/v1/ (the same code; only the
// metadata hash differs, because the committed one was built under the original source name).
"use strict";

const fs = require("fs");
const { expect } = require("chai");
const hre = require("hardhat");
const { ARTIFACT_PATH, V1_ARTIFACT_PATH, CONTRACT_NAME, SOURCE_NAME, FQN, SOLC_VERSION, SOLC_SETTINGS } = require(
  "../solc-settings",
);

const stale = "contracts/build is stale: run `npm run artifacts` in hardhat/";

/** Bytecode without the trailing CBOR metadata (its length is in the last two bytes). */
function stripMetadata(hex) {
  const bytes = Buffer.from(hex.slice(2), "hex");
  const n = bytes.readUInt16BE(bytes.length - 2);
  return bytes.subarray(0, bytes.length - 2 - n).toString("hex");
}

for (const [label, file] of [
  ["v2", ARTIFACT_PATH],
  ["v1", V1_ARTIFACT_PATH],
]) {
  describe(`committed artifact ${label}`, function () {
    const committed = JSON.parse(fs.readFileSync(file, "utf8"));

    it("names the pinned compiler, settings and the original contract and source names", function () {
      expect(committed.compiler.version.startsWith(`${SOLC_VERSION}+`)).to.equal(true);
      expect(committed.compiler.settings).to.deep.equal({
        optimizer: { ...SOLC_SETTINGS.optimizer },
        evmVersion: SOLC_SETTINGS.evmVersion,
      });
      expect(committed._generated).to.match(/^by hardhat\/scripts\/build-artifacts\.js with solc-js .*, do not edit$/);
      expect(committed.contractName).to.equal(CONTRACT_NAME);
      expect(committed.sourceName).to.equal(SOURCE_NAME);
    });

    it("deploys to code equal to deployedBytecode (no immutables to patch)", async function () {
      const [signer] = await hre.ethers.getSigners();
      const factory = new hre.ethers.ContractFactory(committed.abi, committed.bytecode, signer);
      const c = await factory.deploy();
      await c.waitForDeployment();
      expect(await hre.ethers.provider.getCode(await c.getAddress())).to.equal(committed.deployedBytecode);
    });
  });
}

describe("committed artifacts against Hardhat's compilation", function () {
  it("v2 has the bytecode and ABI that Hardhat compiles from contracts/AnchorRegistry.sol", async function () {
    const committed = JSON.parse(fs.readFileSync(ARTIFACT_PATH, "utf8"));
    const built = await hre.artifacts.readArtifact(FQN);
    expect(committed.bytecode, stale).to.equal(built.bytecode);
    expect(committed.deployedBytecode, stale).to.equal(built.deployedBytecode);
    expect(committed.abi, stale).to.deep.equal(built.abi);
  });

  it("v1 has the code and ABI that Hardhat compiles from contracts/v1/AnchorRegistry.sol", async function () {
    const committed = JSON.parse(fs.readFileSync(V1_ARTIFACT_PATH, "utf8"));
    const built = await hre.artifacts.readArtifact(`contracts/v1/${CONTRACT_NAME}.sol:${CONTRACT_NAME}`);
    expect(stripMetadata(committed.deployedBytecode)).to.equal(stripMetadata(built.deployedBytecode));
    expect(stripMetadata(committed.bytecode)).to.equal(stripMetadata(built.bytecode));
    expect(committed.abi).to.deep.equal(built.abi);
  });

  it("v1 and v2 are different contracts", function () {
    const v1 = JSON.parse(fs.readFileSync(V1_ARTIFACT_PATH, "utf8"));
    const v2 = JSON.parse(fs.readFileSync(ARTIFACT_PATH, "utf8"));
    expect(v1.deployedBytecode).to.not.equal(v2.deployedBytecode);
    expect(v1.abi.some((i) => i.name === "registryVersion")).to.equal(false);
    expect(v2.abi.some((i) => i.name === "registryVersion")).to.equal(true);
  });
});
