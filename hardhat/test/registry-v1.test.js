// AnchorRegistry registry version 1 (the committed contracts/build/AnchorRegistryV1.json, the bytes
// deployed before version 2): roles, contiguity of batches, views, on-chain inclusion proofs for
// trees built in JS, and the gas of an anchor transaction. Readers still check v1 anchors against
// contracts with exactly this code.
"use strict";

const fs = require("fs");
const { expect } = require("chai");
const hre = require("hardhat");

const { ethers } = hre;
const m = require("./merkle");
const { V1_ARTIFACT_PATH } = require("../solc-settings");

const V1 = JSON.parse(fs.readFileSync(V1_ARTIFACT_PATH, "utf8"));

const U64_MAX = 2n ** 64n - 1n;
const rootN = (n) => m.hex(m.sha256(Buffer.from(`test root ${n}`)));
async function deploy() {
  const [signer] = await ethers.getSigners();
  const c = await new ethers.ContractFactory(V1.abi, V1.bytecode, signer).deploy();
  await c.waitForDeployment();
  return c;
}

/** Leaf hashes for seq [first, first + size), standing in for real entries. */
const leavesFor = (first, size) =>
  Array.from({ length: size }, (_, i) => m.leafHash(Buffer.from(`siteledger test entry ${first + i}`)));

function flipBit(buf, bit) {
  const out = Buffer.from(buf);
  out[bit >> 3] ^= 0x80 >> (bit & 7);
  return out;
}

describe("AnchorRegistry v1: roles", function () {
  let registry, admin, alice, bob;

  beforeEach(async function () {
    [admin, alice, bob] = await ethers.getSigners();
    registry = await deploy();
  });

  it("makes the deployer admin and anchorer and records the deployment block", async function () {
    expect(await registry.admin()).to.equal(admin.address);
    expect(await registry.isAnchorer(admin.address)).to.equal(true);
    expect(await registry.isAnchorer(alice.address)).to.equal(false);
    const receipt = await registry.deploymentTransaction().wait();
    expect(await registry.deploymentBlock()).to.equal(BigInt(receipt.blockNumber));
  });

  it("rejects an anchor from an account without the anchorer role", async function () {
    await expect(registry.connect(alice).anchor(0, 0, 1, rootN(0)))
      .to.be.revertedWithCustomError(registry, "NotAnchorer")
      .withArgs(alice.address);
    expect(await registry.batchCount()).to.equal(0n);
  });

  it("lets the admin grant and revoke the anchorer role", async function () {
    await expect(registry.grantAnchorer(alice.address)).to.emit(registry, "AnchorerGranted").withArgs(alice.address);
    expect(await registry.isAnchorer(alice.address)).to.equal(true);
    await expect(registry.connect(alice).anchor(0, 0, 5, rootN(0)))
      .to.emit(registry, "Anchored")
      .withArgs(0, 0, 5, rootN(0));

    await expect(registry.revokeAnchorer(alice.address)).to.emit(registry, "AnchorerRevoked").withArgs(alice.address);
    expect(await registry.isAnchorer(alice.address)).to.equal(false);
    await expect(registry.connect(alice).anchor(1, 5, 1, rootN(1)))
      .to.be.revertedWithCustomError(registry, "NotAnchorer")
      .withArgs(alice.address);
  });

  it("makes granting a holder and revoking a non-holder no-ops without events", async function () {
    await registry.grantAnchorer(alice.address);
    await expect(registry.grantAnchorer(alice.address)).to.not.emit(registry, "AnchorerGranted");
    await expect(registry.revokeAnchorer(bob.address)).to.not.emit(registry, "AnchorerRevoked");
    expect(await registry.isAnchorer(alice.address)).to.equal(true);
    expect(await registry.isAnchorer(bob.address)).to.equal(false);
  });

  it("lets the admin revoke its own anchorer role", async function () {
    await registry.revokeAnchorer(admin.address);
    await expect(registry.anchor(0, 0, 1, rootN(0)))
      .to.be.revertedWithCustomError(registry, "NotAnchorer")
      .withArgs(admin.address);
  });

  it("refuses role changes from anyone but the admin", async function () {
    await registry.grantAnchorer(alice.address);
    for (const call of [
      () => registry.connect(alice).grantAnchorer(bob.address),
      () => registry.connect(alice).revokeAnchorer(admin.address),
      () => registry.connect(alice).transferAdmin(alice.address),
    ]) {
      await expect(call()).to.be.revertedWithCustomError(registry, "NotAdmin").withArgs(alice.address);
    }
    expect(await registry.admin()).to.equal(admin.address);
    expect(await registry.isAnchorer(admin.address)).to.equal(true);
  });

  it("transfers the admin role", async function () {
    await expect(registry.transferAdmin(alice.address))
      .to.emit(registry, "AdminTransferred")
      .withArgs(admin.address, alice.address);
    expect(await registry.admin()).to.equal(alice.address);
    // The old admin lost the role at once but is still an anchorer.
    await expect(registry.grantAnchorer(bob.address))
      .to.be.revertedWithCustomError(registry, "NotAdmin")
      .withArgs(admin.address);
    expect(await registry.isAnchorer(admin.address)).to.equal(true);
    await registry.connect(alice).grantAnchorer(bob.address);
    await registry.connect(alice).revokeAnchorer(admin.address);
    expect(await registry.isAnchorer(bob.address)).to.equal(true);
    expect(await registry.isAnchorer(admin.address)).to.equal(false);
    // The deploymentBlock packed beside admin survives the transfer.
    const receipt = await registry.deploymentTransaction().wait();
    expect(await registry.deploymentBlock()).to.equal(BigInt(receipt.blockNumber));
  });

  it("refuses the zero address as admin or anchorer", async function () {
    await expect(registry.transferAdmin(ethers.ZeroAddress)).to.be.revertedWithCustomError(registry, "ZeroAddress");
    await expect(registry.grantAnchorer(ethers.ZeroAddress)).to.be.revertedWithCustomError(registry, "ZeroAddress");
  });
});

describe("AnchorRegistry v1: contiguity", function () {
  let registry;

  beforeEach(async function () {
    registry = await deploy();
  });

  it("starts empty", async function () {
    expect(await registry.batchCount()).to.equal(0n);
    expect(await registry.nextSeq()).to.equal(0n);
  });

  it("accepts contiguous batches and stores root, range, time and block", async function () {
    const sizes = [3, 1, 1000];
    let first = 0n;
    for (let b = 0; b < sizes.length; b++) {
      const size = BigInt(sizes[b]);
      const tx = await registry.anchor(b, first, size, rootN(b));
      const receipt = await tx.wait();
      const block = await ethers.provider.getBlock(receipt.blockNumber);
      await expect(tx).to.emit(registry, "Anchored").withArgs(b, first, size, rootN(b));
      expect(await registry.rootOf(b)).to.equal(rootN(b));
      expect(await registry.batchRange(b)).to.deep.equal([first, size]);
      expect(await registry.batch(b)).to.deep.equal([
        rootN(b),
        first,
        size,
        BigInt(block.timestamp),
        BigInt(receipt.blockNumber),
      ]);
      first += size;
      expect(await registry.batchCount()).to.equal(BigInt(b + 1));
      expect(await registry.nextSeq()).to.equal(first);
    }
  });

  it("requires the first batch to be number 0 starting at seq 0", async function () {
    await expect(registry.anchor(1, 0, 1, rootN(0)))
      .to.be.revertedWithCustomError(registry, "WrongBatchNo")
      .withArgs(1, 0);
    await expect(registry.anchor(0, 1, 1, rootN(0)))
      .to.be.revertedWithCustomError(registry, "WrongFirstSeq")
      .withArgs(1, 0);
  });

  it("rejects a wrong batch number, a gap, an overlap, an empty batch and a replay", async function () {
    await registry.anchor(0, 0, 10, rootN(0));
    await expect(registry.anchor(2, 10, 1, rootN(1)), "skipped batch number")
      .to.be.revertedWithCustomError(registry, "WrongBatchNo")
      .withArgs(2, 1);
    await expect(registry.anchor(1, 11, 1, rootN(1)), "gap")
      .to.be.revertedWithCustomError(registry, "WrongFirstSeq")
      .withArgs(11, 10);
    await expect(registry.anchor(1, 9, 5, rootN(1)), "overlap")
      .to.be.revertedWithCustomError(registry, "WrongFirstSeq")
      .withArgs(9, 10);
    await expect(registry.anchor(1, 10, 0, rootN(1)), "size 0").to.be.revertedWithCustomError(registry, "EmptyBatch");
    await expect(registry.anchor(0, 0, 10, rootN(0)), "replay")
      .to.be.revertedWithCustomError(registry, "WrongBatchNo")
      .withArgs(0, 1);
    // None of the failures changed anything.
    expect(await registry.batchCount()).to.equal(1n);
    expect(await registry.nextSeq()).to.equal(10n);
    expect(await registry.rootOf(0)).to.equal(rootN(0));
    await registry.anchor(1, 10, 1, rootN(1));
    expect(await registry.nextSeq()).to.equal(11n);
  });

  it("rejects a range that overflows uint64 and accepts one that ends exactly at 2^64 - 1", async function () {
    await expect(registry.anchor(0, 0, U64_MAX, rootN(0))).to.not.be.reverted;
    expect(await registry.nextSeq()).to.equal(U64_MAX);
    await expect(registry.anchor(1, U64_MAX, 1, rootN(1)))
      .to.be.revertedWithCustomError(registry, "SeqOverflow")
      .withArgs(U64_MAX, 1);
  });

  it("accepts a zero root and still knows the batch", async function () {
    await registry.anchor(0, 0, 1, ethers.ZeroHash);
    expect(await registry.rootOf(0)).to.equal(ethers.ZeroHash);
    expect(await registry.batchRange(0)).to.deep.equal([0n, 1n]);
  });
});

describe("AnchorRegistry v1: views of unknown batches", function () {
  it("revert with UnknownBatch before and after anchoring", async function () {
    const registry = await deploy();
    const leaf = m.hex(m.leafHash(Buffer.from("x")));
    const check = async (b) => {
      for (const call of [
        () => registry.rootOf(b),
        () => registry.batchRange(b),
        () => registry.batch(b),
        () => registry.verifyInclusion(b, leaf, 0, []),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(registry, "UnknownBatch").withArgs(b);
      }
    };
    await check(0n);
    await registry.anchor(0, 0, 1, leaf);
    expect(await registry.verifyInclusion(0, leaf, 0, [])).to.equal(true);
    await check(1n);
    await check(U64_MAX);
  });
});

describe("AnchorRegistry v1: inclusion proofs", function () {
  const SIZES = Array.from({ length: 17 }, (_, i) => i + 1);
  let registry;
  const batches = [];

  before(async function () {
    registry = await deploy();
    let first = 0;
    for (const size of SIZES) {
      const leaves = leavesFor(first, size);
      const root = m.rootOf(leaves);
      await registry.anchor(batches.length, first, size, m.hex(root));
      batches.push({ batchNo: batches.length, first, size, leaves, root });
      first += size;
    }
  });

  it("anchored one batch per tree size 1..17", async function () {
    expect(await registry.batchCount()).to.equal(BigInt(SIZES.length));
    for (const b of batches) expect(await registry.rootOf(b.batchNo)).to.equal(m.hex(b.root));
  });

  for (const size of SIZES) {
    it(`verifies every leaf of the size-${size} tree and rejects altered proofs`, async function () {
      const b = batches[size - 1];
      let rejected = 0;
      for (let i = 0; i < size; i++) {
        const leaf = b.leaves[i];
        const proof = m.inclusionProof(i, b.leaves);
        const P = proof.map(m.hex);
        expect(await registry.verifyInclusion(b.batchNo, m.hex(leaf), i, P), `leaf ${i}`).to.equal(true);
        expect(await registry.rootFromInclusion(m.hex(leaf), i, size, P)).to.equal(m.hex(b.root));

        const bad = [];
        // Every proof hash with one bit flipped (a different bit for each position).
        proof.forEach((p, j) => {
          const q = [...P];
          q[j] = m.hex(flipBit(p, (j * 37 + i) % 256));
          bad.push([`proof[${j}] bit flipped`, leaf, i, q]);
        });
        bad.push(["leaf bit flipped", flipBit(leaf, i % 256), i, P]);
        if (size > 1) bad.push(["a neighbouring leaf", b.leaves[(i + 1) % size], i, P]);
        if (size > 1) bad.push(["index + 1 mod size", leaf, (i + 1) % size, P]);
        if (size > 1) bad.push(["index XOR 1", leaf, (i ^ 1) % size, P]);
        bad.push(["index = size", leaf, size, P]);
        bad.push(["proof with a zero hash appended", leaf, i, [...P, ethers.ZeroHash]]);
        bad.push(["proof with the root appended", leaf, i, [...P, m.hex(b.root)]]);
        if (P.length > 0) bad.push(["proof truncated", leaf, i, P.slice(0, -1)]);
        if (P.length > 1) bad.push(["proof reversed", leaf, i, [...P].reverse()]);
        for (const [what, l, idx, q] of bad) {
          expect(await registry.verifyInclusion(b.batchNo, m.hex(l), idx, q), `leaf ${i}: ${what}`).to.equal(false);
          rejected += 1;
        }
        // The proof of this leaf does not verify against the neighbouring batch.
        if (batches[size]) {
          expect(await registry.verifyInclusion(b.batchNo + 1, m.hex(leaf), i, P)).to.equal(false);
        }
      }
      expect(rejected).to.be.greaterThan(size);
    });
  }

  it("rootFromInclusion names the malformed input", async function () {
    const b = batches[4]; // size 5
    const leaf = m.hex(b.leaves[1]);
    const P = m.inclusionProof(1, b.leaves).map(m.hex);
    await expect(registry.rootFromInclusion(leaf, 5, 5, P))
      .to.be.revertedWithCustomError(registry, "IndexOutOfRange")
      .withArgs(5, 5);
    await expect(registry.rootFromInclusion(leaf, 0, 0, []))
      .to.be.revertedWithCustomError(registry, "IndexOutOfRange")
      .withArgs(0, 0);
    await expect(registry.rootFromInclusion(leaf, 1, 5, P.slice(1)))
      .to.be.revertedWithCustomError(registry, "WrongProofLength")
      .withArgs(P.length - 1, P.length);
    await expect(registry.rootFromInclusion(leaf, 1, 5, [...P, P[0]]))
      .to.be.revertedWithCustomError(registry, "WrongProofLength")
      .withArgs(P.length + 1, P.length);
  });

  it("computes proof lengths at the edges of uint64", async function () {
    const leaf = m.hex(batches[0].leaves[0]);
    // Last leaf of a tree of 2^64 - 1 leaves: 63 left turns, no inner levels.
    await expect(registry.rootFromInclusion(leaf, U64_MAX - 1n, U64_MAX, []))
      .to.be.revertedWithCustomError(registry, "WrongProofLength")
      .withArgs(0, 63);
    // First leaf of the same tree: 64 levels below the root.
    await expect(registry.rootFromInclusion(leaf, 0, U64_MAX, []))
      .to.be.revertedWithCustomError(registry, "WrongProofLength")
      .withArgs(0, 64);
    await expect(registry.rootFromInclusion(leaf, U64_MAX, U64_MAX, []))
      .to.be.revertedWithCustomError(registry, "IndexOutOfRange")
      .withArgs(U64_MAX, U64_MAX);
  });

  it("agrees with the JS reference on larger trees", async function () {
    for (const size of [31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 1000]) {
      const leaves = leavesFor(0, size);
      const root = m.hex(m.rootOf(leaves));
      for (const i of new Set([0, 1, Math.floor(size / 2), size - 2, size - 1])) {
        const P = m.inclusionProof(i, leaves).map(m.hex);
        expect(await registry.rootFromInclusion(m.hex(leaves[i]), i, size, P), `size ${size} leaf ${i}`).to.equal(root);
      }
    }
  });
});

describe("AnchorRegistry v1: gas per anchor", function () {
  it("measures receipt gasUsed, flat in batch size and batch number", async function () {
    const registry = await deploy();
    const sizes = [1, 1000, 100000, 1, 1, 1, 1, 1, 1, 1];
    const rows = [];
    let first = 0n;
    for (let b = 0; b < sizes.length; b++) {
      const receipt = await (await registry.anchor(b, first, sizes[b], rootN(b))).wait();
      rows.push({ n: b + 1, batchNo: b, firstSeq: first, size: sizes[b], gasUsed: receipt.gasUsed });
      first += BigInt(sizes[b]);
    }
    const hardfork = hre.network.config.hardfork;
    console.log(`      gas per anchor (Hardhat network, hardfork ${hardfork}; receipt gasUsed incl. 21,000 base):`);
    for (const r of rows) {
      console.log(`        anchor #${r.n}: batchNo ${r.batchNo}, firstSeq ${r.firstSeq}, size ${r.size}: ${r.gasUsed}`);
    }
    const used = rows.map((r) => Number(r.gasUsed));
    const spread = Math.max(...used) - Math.min(...used);
    console.log(`        spread ${spread} gas (calldata: 16 gas per nonzero byte, 4 per zero byte)`);
    // Flat: only the calldata bytes of the arguments differ between these transactions.
    expect(spread).to.be.lessThan(200);
    // Regression guard; docs/contract.md explains why 60,000 cannot be reached.
    for (const g of used) expect(g).to.be.lessThanOrEqual(77000);
  });
});
