// The committed artifacts (contracts/build/*.json, loaded by Python) against Hardhat's own
// compilation of contracts/: the current artifact (version 2 with witness sets, evm target
// prague) is the same contract (same compiler, settings and bytes); the version 1 and pre-witness
// version 2 artifacts are the contracts in contracts/v1/ and contracts/v2/ (the same code; only
// the metadata hash differs, because the committed ones were built under the original source name).
"use strict";

const fs = require("fs");
const { expect } = require("chai");
const hre = require("hardhat");
const {
  ARTIFACT_PATH, V1_ARTIFACT_PATH, V2_ARTIFACT_PATH, CONTRACT_NAME, SOURCE_NAME, FQN, SOLC_VERSION, SOLC_SETTINGS,
  EVM_VERSION_CURRENT,
} = require("../solc-settings");

const stale = "contracts/build is stale: run `npm run artifacts` in hardhat/";

/** Bytecode without the trailing CBOR metadata (its length is in the last two bytes). */
function stripMetadata(hex) {
  const bytes = Buffer.from(hex.slice(2), "hex");
  const n = bytes.readUInt16BE(bytes.length - 2);
  return bytes.subarray(0, bytes.length - 2 - n).toString("hex");
}

for (const [label, file, evmVersion] of [
  ["current (v2 with witness sets)", ARTIFACT_PATH, EVM_VERSION_CURRENT],
  ["v2 before witness sets", V2_ARTIFACT_PATH, SOLC_SETTINGS.evmVersion],
  ["v1", V1_ARTIFACT_PATH, SOLC_SETTINGS.evmVersion],
]) {
  describe(`committed artifact ${label}`, function () {
    const committed = JSON.parse(fs.readFileSync(file, "utf8"));

    it("names the pinned compiler, settings and the original contract and source names", function () {
      expect(committed.compiler.version.startsWith(`${SOLC_VERSION}+`)).to.equal(true);
      expect(committed.compiler.settings).to.deep.equal({
        optimizer: { ...SOLC_SETTINGS.optimizer },
        evmVersion,
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
  it("the current artifact has the bytecode and ABI that Hardhat compiles from contracts/AnchorRegistry.sol", async function () {
    const committed = JSON.parse(fs.readFileSync(ARTIFACT_PATH, "utf8"));
    const built = await hre.artifacts.readArtifact(FQN);
    expect(committed.bytecode, stale).to.equal(built.bytecode);
    expect(committed.deployedBytecode, stale).to.equal(built.deployedBytecode);
    expect(committed.abi, stale).to.deep.equal(built.abi);
  });

  for (const [label, file] of [
    ["v1", V1_ARTIFACT_PATH],
    ["v2", V2_ARTIFACT_PATH],
  ]) {
    it(`${label} has the code and ABI that Hardhat compiles from contracts/${label}/AnchorRegistry.sol`, async function () {
      const committed = JSON.parse(fs.readFileSync(file, "utf8"));
      const built = await hre.artifacts.readArtifact(`contracts/${label}/${CONTRACT_NAME}.sol:${CONTRACT_NAME}`);
      expect(stripMetadata(committed.deployedBytecode)).to.equal(stripMetadata(built.deployedBytecode));
      expect(stripMetadata(committed.bytecode)).to.equal(stripMetadata(built.bytecode));
      expect(committed.abi).to.deep.equal(built.abi);
    });
  }

  it("v1, v2 and the current contract are different codes; v2's ABI is part of the current one", function () {
    const v1 = JSON.parse(fs.readFileSync(V1_ARTIFACT_PATH, "utf8"));
    const v2 = JSON.parse(fs.readFileSync(V2_ARTIFACT_PATH, "utf8"));
    const cur = JSON.parse(fs.readFileSync(ARTIFACT_PATH, "utf8"));
    expect(new Set([v1, v2, cur].map((a) => a.deployedBytecode)).size).to.equal(3);
    expect(v1.abi.some((i) => i.name === "registryVersion")).to.equal(false);
    expect(v2.abi.some((i) => i.name === "registryVersion")).to.equal(true);
    const items = new Set(cur.abi.map((i) => JSON.stringify(i)));
    for (const item of v2.abi) expect(items.has(JSON.stringify(item)), item.name).to.equal(true);
    expect(cur.abi.some((i) => i.name === "anchorWitnessed")).to.equal(true);
  });
});
