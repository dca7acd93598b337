// Every RFC 6962 / RFC 9162 inclusion vector (tests/vectors/rfc6962/inclusion/**) through the
// contract's pure rootFromInclusion. The vector roots are arbitrary, so they cannot be anchored;
// the helper computes the root a proof leads to and the test compares it with the vector's root.
"use strict";

const path = require("path");
const { expect } = require("chai");
const { ethers } = require("hardhat");
const m = require("./merkle");

const INCLUSION_DIR = path.join(m.VECTORS_DIR, "inclusion");
const FILES = m.listJson(INCLUSION_DIR);
const CONTRACT_ERRORS = new Set(["IndexOutOfRange", "WrongProofLength"]);

describe("RFC 6962 inclusion vectors through rootFromInclusion", function () {
  let registry;
  const tally = { happy: 0, reverted: 0, otherRoot: 0, notBytes32: 0 };

  before(async function () {
    registry = await ethers.deployContract("AnchorRegistry");
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
