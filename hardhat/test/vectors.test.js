// Every RFC 6962 / RFC 9162 inclusion vector (tests/vectors/rfc6962/inclusion/**):
// - through version 2's verifyInclusion: the vector's root is anchored as a batch of treeSize
//   entries (from a snapshot, one batch per vector), and the claimed batch with the vector's
//   leaf, index and proof must verify exactly for the happy paths;
// - through the pure rootFromInclusion of version 2 and of version 1 (the committed v1 artifact):
//   the root a proof leads to is compared with the vector's root.
"use strict";

const fs = require("fs");
const path = require("path");
const { expect } = require("chai");
const hre = require("hardhat");
const m = require("./merkle");
const { FQN, V1_ARTIFACT_PATH } = require("../solc-settings");

const { ethers } = hre;
const U64_MAX = 2n ** 64n - 1n;

const INCLUSION_DIR = path.join(m.VECTORS_DIR, "inclusion");
const FILES = m.listJson(INCLUSION_DIR);
const CONTRACT_ERRORS = new Set(["IndexOutOfRange", "WrongProofLength"]);

async function deployV1() {
  const v1 = JSON.parse(fs.readFileSync(V1_ARTIFACT_PATH, "utf8"));
  const [signer] = await ethers.getSigners();
  const c = await new ethers.ContractFactory(v1.abi, v1.bytecode, signer).deploy();
  await c.waitForDeployment();
  return c;
}

describe("RFC 6962 inclusion vectors through verifyInclusion of an anchored batch (v2)", function () {
  let registry;
  const tally = { verified: 0, refused: 0, notAnchorable: 0, notBytes32: 0 };

  before(async function () {
    registry = await ethers.deployContract(FQN);
  });

  for (const f of FILES) {
    const v = m.loadInclusionVector(path.join(INCLUSION_DIR, f));
    it(`${f} (${v.desc}; wantErr=${v.wantErr})`, async function () {
      if (v.root.length !== 32 || v.treeSize === 0n || v.treeSize > U64_MAX) {
        // No batch can be anchored with this root or size (bytes32 root, size >= 1): only a
        // broken vector may be like that. Its proof cannot verify against any anchored batch.
        expect(v.wantErr, `${f}: a happy path that cannot be anchored`).to.equal(true);
        if (v.treeSize === 0n && v.root.length === 32) {
          await expect(registry.anchor(0, 0, 0, m.hex(v.root), ethers.ZeroHash)).to.be.revertedWithCustomError(
            registry,
            "EmptyBatch",
          );
        }
        tally.notAnchorable += 1;
        return;
      }
      const snapshot = await hre.network.provider.send("evm_snapshot", []);
      try {
        const headsRoot = m.hex(m.sha256(Buffer.from(f)));
        const receipt = await (await registry.anchor(0, 0, v.treeSize, m.hex(v.root), headsRoot)).wait();
        const block = await ethers.provider.getBlock(receipt.blockNumber);
        const claim = [0n, 0n, v.treeSize, m.hex(v.root), headsRoot, BigInt(receipt.blockNumber), BigInt(block.timestamp)];
        const lengths = [v.leafHash, ...v.proof].map((b) => b.length);
        if (lengths.some((n) => n !== 32)) {
          expect(v.wantErr, `${f}: a happy path with a hash that is not 32 bytes`).to.equal(true);
          const call = registry.verifyInclusion(claim, v.leafIdx, m.hex(v.leafHash), v.proof.map(m.hex));
          await expect(call).to.be.rejectedWith(/data length|invalid BytesLike|bytes32/i);
          tally.notBytes32 += 1;
          return;
        }
        const ok = await registry.verifyInclusion(claim, v.leafIdx, m.hex(v.leafHash), v.proof.map(m.hex));
        expect(ok, f).to.equal(!v.wantErr);
        if (ok) {
          // The same proof with any claimed field changed fails: the claim is checked first.
          const other = [...claim];
          other[4] = ethers.ZeroHash;
          expect(await registry.verifyInclusion(other, v.leafIdx, m.hex(v.leafHash), v.proof.map(m.hex))).to.equal(false);
          tally.verified += 1;
        } else {
          tally.refused += 1;
        }
      } finally {
        await hre.network.provider.send("evm_revert", [snapshot]);
      }
    });
  }

  it("accounted for every vector file, happy and broken", function () {
    const rejected = tally.refused + tally.notAnchorable + tally.notBytes32;
    console.log(
      `      vectors: ${FILES.length} files, ${tally.verified} happy paths verified on an anchored batch, ` +
        `${rejected} broken ones rejected (${tally.refused} verifyInclusion false, ${tally.notAnchorable} ` +
        `root or size not anchorable, ${tally.notBytes32} hash not bytes32)`,
    );
    expect(tally.verified).to.be.greaterThan(0);
    expect(tally.refused).to.be.greaterThan(0);
    expect(tally.verified + rejected).to.equal(FILES.length);
  });
});

for (const [version, make] of [
  ["v2", () => ethers.deployContract(FQN)],
  ["v1", deployV1],
]) describe(`RFC 6962 inclusion vectors through rootFromInclusion (${version})`, function () {
  let registry;
  const tally = { happy: 0, reverted: 0, otherRoot: 0, notBytes32: 0 };

  before(async function () {
    registry = await make();
  });

  it("finds the vector files", function () {
    expect(FILES.length, `no vectors under ${INCLUSION_DIR}`).to.be.greaterThan(0);
  });

  it("the JS reference tree reproduces the vectors' tree and happy-path proofs", function () {
    const root8 = m.rootOf(m.RFC6962_LEAVES);
    let checked = 0;
    for (const f of FILES.filter((f) => f.endsWith("happy-path.json") && /^\d+\//.test(f))) {
      const v = m.loadInclusionVector(path.join(INCLUSION_DIR, f));
      const leaves = m.RFC6962_LEAVES.slice(0, Number(v.treeSize));
      expect(m.hex(m.rootOf(leaves)), f).to.equal(m.hex(v.root));
      expect(m.hex(leaves[Number(v.leafIdx)]), f).to.equal(m.hex(v.leafHash));
      expect(m.inclusionProof(Number(v.leafIdx), leaves).map(m.hex), f).to.deep.equal(v.proof.map(m.hex));
      checked += 1;
    }
    expect(checked).to.be.greaterThan(0);
    expect(m.hex(root8)).to.equal("0x5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  });

  for (const f of FILES) {
    const v = m.loadInclusionVector(path.join(INCLUSION_DIR, f));
    const label = `${f} (${v.desc}; wantErr=${v.wantErr})`;

    it(label, async function () {
      // A root that is not 32 bytes needs no special case: the hex of no bytes32 result equals it.
      const lengths = [v.leafHash, ...v.proof].map((b) => b.length);
      if (lengths.some((n) => n !== 32)) {
        // A leaf or proof hash that is not 32 bytes cannot be a bytes32 argument: the ABI layer
        // refuses it before any call. Only broken vectors may look like that.
        expect(v.wantErr, `${f}: a happy path with a hash that is not 32 bytes`).to.equal(true);
        const call = registry.rootFromInclusion(m.hex(v.leafHash), v.leafIdx, v.treeSize, v.proof.map(m.hex));
        await expect(call).to.be.rejectedWith(/data length|invalid BytesLike|bytes32/i);
        tally.notBytes32 += 1;
        return;
      }
      let got;
      try {
        got = await registry.rootFromInclusion(m.hex(v.leafHash), v.leafIdx, v.treeSize, v.proof.map(m.hex));
      } catch (e) {
        const parsed = e.data ? registry.interface.parseError(e.data) : null;
        expect(parsed, `${f}: call failed without a contract error: ${e.message}`).to.not.equal(null);
        expect(CONTRACT_ERRORS.has(parsed.name), `${f}: unexpected error ${parsed.name}`).to.equal(true);
        expect(v.wantErr, `${f}: happy path reverted with ${parsed.name}(${parsed.args.join(", ")})`).to.equal(true);
        tally.reverted += 1;
        return;
      }
      if (v.wantErr) {
        expect(got, `${f}: a broken proof led to the vector's root`).to.not.equal(m.hex(v.root));
        tally.otherRoot += 1;
      } else {
        expect(got).to.equal(m.hex(v.root));
        tally.happy += 1;
      }
    });
  }

  after(function () {
    const rejected = tally.reverted + tally.otherRoot + tally.notBytes32;
    console.log(
      `      vectors: ${FILES.length} files, ${tally.happy} happy paths verified, ${rejected} broken ones rejected ` +
        `(${tally.reverted} reverted, ${tally.otherRoot} led to another root, ${tally.notBytes32} not bytes32)`,
    );
  });

  it("accounted for every vector file, happy and broken", function () {
    // Runs after the per-file tests (mocha keeps declaration order within a describe).
    const rejected = tally.reverted + tally.otherRoot + tally.notBytes32;
    expect(tally.happy).to.be.greaterThan(0);
    expect(rejected).to.be.greaterThan(0);
    expect(tally.happy + rejected).to.equal(FILES.length);
  });
});
