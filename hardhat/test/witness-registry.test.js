// AnchorRegistry with a witness set (contracts/AnchorRegistry.sol + contracts/BLS12381.sol):
// BLS12-381 aggregate signatures made by py-ecc (witness/, the IETF proof-of-possession scheme)
// verified through the EIP-2537 precompiles before the batch is stored. k valid signers, k-1, a
// wrong bitmap, a key not in the set, a signature over another contract or chain id, a replay of
// an earlier batch's signature, plain anchor refused with a set (wait policy), marked with the
// timeout policy, the set's views and hash, and the gas for k = 1..5 of 5.
"use strict";

const { expect } = require("chai");
const hre = require("hardhat");
const { FQN } = require("../solc-settings");
const { sign, bitmap, setArgs } = require("./witness");

const { ethers } = hre;
const GAS_3_OF_5 = 270000;

/** Batch n of a log whose batches all have 100 entries (so batch n starts at seq 100 n). */
const batch = (n) => ({
  batchNo: n,
  firstSeq: 100 * n,
  size: 100,
  root: ethers.keccak256(ethers.toUtf8Bytes(`root ${n}`)),
  headsRoot: ethers.keccak256(ethers.toUtf8Bytes(`heads ${n}`)),
});
const args = (b) => [b.batchNo, b.firstSeq, b.size, b.root, b.headsRoot];

describe("AnchorRegistry with witnesses", function () {
  this.timeout(600000);
  let reg, other, keys, extra;

  before(async () => {
    reg = await ethers.deployContract(FQN);
    other = await ethers.deployContract(FQN);
    ({ keys } = sign(6, []));
    extra = keys[5]; // a key not in the set
    keys = keys.slice(0, 5);
    await (await reg.setWitnesses(...setArgs(keys, 3, false))).wait();
  });

  const message = async (contract, b) => contract.witnessMessage(...args(b));

  it("publishes the set, its hash and threshold, and refuses bad sets or a non-admin", async () => {
    const [version, threshold, count, allow] = await reg.witnessSet();
    expect([version, threshold, count, allow]).to.deep.equal([1n, 3n, 5n, false]);
    for (let i = 0; i < 5; i++) expect(await reg.witnessKey(i)).to.equal(keys[i].compressed);
    await expect(reg.witnessKey(5)).to.be.revertedWithCustomError(reg, "UnknownWitness").withArgs(5);
    const hash = ethers.keccak256(ethers.concat([ethers.toBeHex(3, 32), ...keys.map((k) => k.compressed)]));
    expect(await reg.witnessSetHash(1)).to.equal(hash);
    expect(await reg.witnessSetHash(2)).to.equal(ethers.ZeroHash);
    const [, stranger] = await ethers.getSigners();
    await expect(reg.connect(stranger).setWitnesses(...setArgs(keys.slice(0, 1), 1, false)))
      .to.be.revertedWithCustomError(reg, "NotAdmin");
    await expect(reg.connect(stranger).clearWitnesses()).to.be.revertedWithCustomError(reg, "NotAdmin");
    await expect(other.setWitnesses([keys[0].point], [keys[0].compressed], [keys[1].pop], 1, false))
      .to.be.revertedWithCustomError(other, "ProofOfPossessionFailed").withArgs(0);
    await expect(other.setWitnesses([keys[0].point], [keys[1].compressed], [keys[0].pop], 1, false))
      .to.be.revertedWithCustomError(other, "BadKey");
    await expect(other.setWitnesses(...setArgs(keys.slice(0, 1), 2, false))).to.be.revertedWithCustomError(other, "BadWitnessSet");
    await expect(other.setWitnesses(...setArgs(keys.slice(0, 1), 0, false))).to.be.revertedWithCustomError(other, "BadWitnessSet");
    await expect(other.setWitnesses(...setArgs([], 1, false))).to.be.revertedWithCustomError(other, "BadWitnessSet");
    await expect(other.setWitnesses(...setArgs([keys[0], keys[1], keys[0]], 1, false)))
      .to.be.revertedWithCustomError(other, "BadKey").withArgs(2, "duplicate key");
    await expect(other.clearWitnesses()).to.be.revertedWithCustomError(other, "NoWitnessSet");
    const emitted = await (await other.setWitnesses(...setArgs(keys.slice(0, 2), 2, true))).wait();
    const names = emitted.logs.map((l) => other.interface.parseLog(l).name);
    expect(names).to.deep.equal(["WitnessKey", "WitnessKey", "WitnessSetChanged"]);
    await expect(other.clearWitnesses()).to.emit(other, "WitnessSetChanged").withArgs(2, 0, 0, false);
    expect(await other.witnessSet()).to.deep.equal([2n, 0n, 0n, false]);
  });

  it("the message is the documented 162 bytes", async () => {
    const b = batch(1);
    const { chainId } = await ethers.provider.getNetwork();
    const expected = ethers.solidityPacked(
      ["bytes22", "uint256", "address", "uint64", "bytes32", "bytes32", "uint64", "uint64"],
      [ethers.toUtf8Bytes("siteledger/witness/v1\0"), chainId, await reg.getAddress(), b.batchNo, b.root, b.headsRoot, b.firstSeq, b.size],
    );
    expect(await message(reg, b)).to.equal(expected);
    expect(ethers.dataLength(expected)).to.equal(162);
  });

  it("refuses a plain anchor with a set (wait policy) and anchorWitnessed without one", async () => {
    await expect(reg.anchor(...args(batch(0)))).to.be.revertedWithCustomError(reg, "QuorumRequired");
    const fresh = await ethers.deployContract(FQN);
    await expect(fresh.anchorWitnessed(...args(batch(0)), 1n, "0x" + "00".repeat(256)))
      .to.be.revertedWithCustomError(fresh, "NoWitnessSet");
    const [, stranger] = await ethers.getSigners();
    await expect(reg.connect(stranger).anchorWitnessed(...args(batch(0)), 1n, "0x" + "00".repeat(256)))
      .to.be.revertedWithCustomError(reg, "NotAnchorer");
  });

  it("anchors with k valid signers; refuses k-1, a wrong bitmap, a key not in the set", async () => {
    const b = batch(0);
    const msg = await message(reg, b);
    const { sigs } = sign(6, [
      { message: msg, signers: [0, 2, 4] },
      { message: msg, signers: [0, 2] },
      { message: msg, signers: [0, 2, 5] },
      { message: msg, signers: [0, 1, 2, 3, 4] },
    ]);
    await expect(reg.anchorWitnessed(...args(b), bitmap([0, 2]), sigs[1]))
      .to.be.revertedWithCustomError(reg, "TooFewSigners").withArgs(2, 3);
    await expect(reg.anchorWitnessed(...args(b), bitmap([0, 2, 3]), sigs[0])).to.be.revertedWithCustomError(reg, "SignatureInvalid");
    await expect(reg.anchorWitnessed(...args(b), bitmap([0, 2, 4, 5]), sigs[0])).to.be.revertedWithCustomError(reg, "BadBitmap");
    await expect(reg.anchorWitnessed(...args(b), bitmap([0, 1, 2, 3, 4]), sigs[0])).to.be.revertedWithCustomError(reg, "SignatureInvalid");
    // key 5 signed, it is not in the set: the bitmap names 4 instead, the aggregate does not verify
    await expect(reg.anchorWitnessed(...args(b), bitmap([0, 2, 4]), sigs[2])).to.be.revertedWithCustomError(reg, "SignatureInvalid");
    await expect(reg.anchorWitnessed(...args(b), 0n, sigs[0])).to.be.revertedWithCustomError(reg, "BadBitmap");
    await expect(reg.anchorWitnessed(...args(b), bitmap([0, 2, 4]), sigs[0].slice(0, -2)))
      .to.be.revertedWithCustomError(reg, "BadSignatureLength");
    await expect(reg.anchorWitnessed(...args({ ...b, batchNo: 1 }), bitmap([0, 2, 4]), sigs[0]))
      .to.be.revertedWithCustomError(reg, "WrongBatchNo");
    expect(await reg.batchCount()).to.equal(0n);
    const tx = reg.anchorWitnessed(...args(b), bitmap([0, 2, 4]), sigs[0]);
    await expect(tx).to.emit(reg, "Anchored").withArgs(b.batchNo, b.firstSeq, b.size, b.root, b.headsRoot);
    await expect(tx).to.emit(reg, "Witnessed").withArgs(b.batchNo, 1, bitmap([0, 2, 4]));
    expect(await reg.batchCount()).to.equal(1n);
    expect(await reg.nextSeq()).to.equal(100n);
    // the commitment is the one a plain anchor stores: checkBatch confirms the claimed batch
    const receipt = await (await tx).wait();
    const block = await ethers.provider.getBlock(receipt.blockNumber);
    expect(await reg.checkBatch([b.batchNo, b.firstSeq, b.size, b.root, b.headsRoot, block.number, block.timestamp])).to.equal(true);
    // the same signature again: the batch is anchored, the next one is another message
    await expect(reg.anchorWitnessed(...args(b), bitmap([0, 2, 4]), sigs[0])).to.be.revertedWithCustomError(reg, "WrongBatchNo");
    // all five is a quorum too
    const b1 = batch(1);
    const { sigs: s1 } = sign(5, [{ message: await message(reg, b1), signers: [0, 1, 2, 3, 4] }]);
    await expect(reg.anchorWitnessed(...args(b1), bitmap([0, 1, 2, 3, 4]), s1[0]))
      .to.emit(reg, "Witnessed").withArgs(1, 1, bitmap([0, 1, 2, 3, 4]));
  });

  it("refuses a signature over another contract, another chain id or an earlier batch", async () => {
    const b2 = batch(2);
    await (await other.setWitnesses(...setArgs(keys, 3, false))).wait();
    const { chainId } = await ethers.provider.getNetwork();
    const otherChain = ethers.solidityPacked(
      ["bytes22", "uint256", "address", "uint64", "bytes32", "bytes32", "uint64", "uint64"],
      [ethers.toUtf8Bytes("siteledger/witness/v1\0"), chainId + 1n, await reg.getAddress(), b2.batchNo, b2.root, b2.headsRoot, b2.firstSeq, b2.size],
    );
    const { sigs } = sign(5, [
      { message: await message(other, b2), signers: [0, 1, 2] },
      { message: otherChain, signers: [0, 1, 2] },
      { message: await message(reg, batch(1)), signers: [0, 1, 2] }, // batch 1's message, anchored earlier
      { message: await message(reg, b2), signers: [0, 1, 2] },
    ]);
    const bm = bitmap([0, 1, 2]);
    for (const s of sigs.slice(0, 3)) {
      await expect(reg.anchorWitnessed(...args(b2), bm, s)).to.be.revertedWithCustomError(reg, "SignatureInvalid");
    }
    await expect(reg.anchorWitnessed(...args(b2), bm, sigs[3])).to.emit(reg, "Witnessed");
  });

  it("a point off the curve makes a precompile fail, which reverts", async () => {
    const b = batch(3);
    const bad = "0x" + ("00".repeat(63) + "01").repeat(4); // (1, 1) is not on the twist
    await expect(reg.anchorWitnessed(...args(b), bitmap([0, 1, 2]), bad))
      .to.be.revertedWithCustomError(reg, "PrecompileFailed").withArgs("0x000000000000000000000000000000000000000F");
  });

  it("timeout policy: a plain anchor is allowed and marked, a witnessed one is not", async () => {
    const t = await ethers.deployContract(FQN);
    await (await t.setWitnesses(...setArgs(keys, 3, true))).wait();
    expect((await t.witnessSet())[3]).to.equal(true);
    const b0 = batch(0);
    const tx = t.anchor(...args(b0));
    await expect(tx).to.emit(t, "AnchoredWithoutQuorum").withArgs(0, 1);
    await expect(tx).to.emit(t, "Anchored");
    const b1 = batch(1);
    const { sigs } = sign(5, [{ message: await message(t, b1), signers: [1, 3, 4] }]);
    const receipt = await (await t.anchorWitnessed(...args(b1), bitmap([1, 3, 4]), sigs[0])).wait();
    const names = receipt.logs.map((l) => t.interface.parseLog(l).name);
    expect(names).to.deep.equal(["Anchored", "Witnessed"]);
    // removing the set: anchor is plain again, no mark; the contiguity counters are kept
    await (await t.clearWitnesses()).wait();
    const r2 = await (await t.anchor(...args(batch(2)))).wait();
    expect(r2.logs.map((l) => t.interface.parseLog(l).name)).to.deep.equal(["Anchored"]);
    expect(await t.batchCount()).to.equal(3n);
    expect(await t.nextSeq()).to.equal(300n);
  });

  it("gas of a witnessed anchor for k = 1..5 of 5", async () => {
    const gas = [];
    for (let k = 1; k <= 5; k++) {
      const q = await ethers.deployContract(FQN);
      await (await q.setWitnesses(...setArgs(keys, k, false))).wait();
      const b = batch(0);
      const signers = [...Array(k).keys()];
      const { sigs } = sign(5, [{ message: await q.witnessMessage(...args(b)), signers }]);
      const receipt = await (await q.anchorWitnessed(...args(b), bitmap(signers), sigs[0])).wait();
      gas.push(Number(receipt.gasUsed));
    }
    console.log(`      anchorWitnessed() gas for k = 1..5 of 5: ${gas.join(", ")}`);
    expect(gas[2]).to.be.at.most(GAS_3_OF_5);
  });
});
