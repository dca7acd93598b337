// WitnessQuorum (contracts/WitnessQuorum.sol): BLS12-381 aggregate signatures made by py-ecc
// (witness/, the IETF proof-of-possession scheme) verified through the EIP-2537 precompiles:
// k valid signers, k-1, a wrong bitmap, a key not in the set, a signature over another contract
// or chain id, a replay of an earlier batch's signature, and the gas for k = 1..5 of 5.
"use strict";

const { expect } = require("chai");
const { execFileSync } = require("child_process");
const path = require("path");
const hre = require("hardhat");

const { ethers } = hre;
const ROOT = path.resolve(__dirname, "..", "..");
const FQN = "contracts/WitnessQuorum.sol:WitnessQuorum";
const GAS_3_OF_5 = 270000;

/** Keys 0..n-1 (fixed test seeds) and the aggregate of each {message, signers} request. */
function sign(n, requests) {
  const python = process.env.SITELEDGER_PYTHON || path.join(ROOT, ".venv", "bin", "python");
  const out = execFileSync(python, [path.join(__dirname, "witness_sign.py")], {
    input: JSON.stringify({ n, sign: requests.map((r) => ({ message: r.message.slice(2), signers: r.signers })) }),
    cwd: ROOT,
    env: { ...process.env, PYTHONPATH: ROOT },
    maxBuffer: 1 << 24,
  });
  const res = JSON.parse(out);
  return {
    keys: res.keys.map((k) => ({ point: "0x" + k.point, compressed: "0x" + k.compressed, pop: "0x" + k.pop })),
    sigs: res.signatures.map((s) => "0x" + s),
  };
}

const bitmap = (signers) => signers.reduce((b, i) => b | (1n << BigInt(i)), 0n);
const batch = (n) => ({
  batchNo: n,
  firstSeq: 100 * n,
  size: 100,
  root: ethers.keccak256(ethers.toUtf8Bytes(`root ${n}`)),
  headsRoot: ethers.keccak256(ethers.toUtf8Bytes(`heads ${n}`)),
});
const args = (b) => [b.batchNo, b.firstSeq, b.size, b.root, b.headsRoot];

describe("WitnessQuorum", function () {
  this.timeout(600000);
  let quorum, other, keys, extra;

  before(async () => {
    quorum = await ethers.deployContract(FQN);
    other = await ethers.deployContract(FQN);
    ({ keys } = sign(6, []));
    extra = keys[5]; // a key not in the set
    keys = keys.slice(0, 5);
    await (await quorum.setWitnesses(keys.map((k) => k.point), keys.map((k) => k.compressed), keys.map((k) => k.pop), 3)).wait();
  });

  const message = async (contract, b) => contract.witnessMessage(...args(b));

  it("publishes the set with its threshold and refuses a bad proof of possession or a non-admin", async () => {
    expect(await quorum.witnessCount()).to.equal(5n);
    expect(await quorum.threshold()).to.equal(3n);
    expect(await quorum.witnessKey(2)).to.equal(keys[2].point);
    const [, stranger] = await ethers.getSigners();
    await expect(
      quorum.connect(stranger).setWitnesses([keys[0].point], [keys[0].compressed], [keys[0].pop], 1),
    ).to.be.revertedWithCustomError(quorum, "NotAdmin");
    await expect(other.setWitnesses([keys[0].point], [keys[0].compressed], [keys[1].pop], 1))
      .to.be.revertedWithCustomError(other, "ProofOfPossessionFailed").withArgs(0);
    await expect(other.setWitnesses([keys[0].point], [keys[1].compressed], [keys[0].pop], 1))
      .to.be.revertedWithCustomError(other, "BadKey");
    await expect(other.setWitnesses([keys[0].point], [keys[0].compressed], [keys[0].pop], 2))
      .to.be.revertedWithCustomError(other, "BadWitnessSet");
  });

  it("the message is the documented 162 bytes", async () => {
    const b = batch(1);
    const { chainId } = await ethers.provider.getNetwork();
    const expected = ethers.solidityPacked(
      ["bytes22", "uint256", "address", "uint64", "bytes32", "bytes32", "uint64", "uint64"],
      [ethers.toUtf8Bytes("siteledger/witness/v1\0"), chainId, await quorum.getAddress(), b.batchNo, b.root, b.headsRoot, b.firstSeq, b.size],
    );
    expect(await message(quorum, b)).to.equal(expected);
    expect(ethers.dataLength(expected)).to.equal(162);
  });

  it("accepts k valid signers, refuses k-1, a wrong bitmap and a key not in the set", async () => {
    const b = batch(1);
    const msg = await message(quorum, b);
    const { sigs } = sign(6, [
      { message: msg, signers: [0, 2, 4] },
      { message: msg, signers: [0, 2] },
      { message: msg, signers: [0, 2, 5] },
    ]);
    await expect(quorum.verifyQuorum(...args(b), bitmap([0, 2]), sigs[1]))
      .to.be.revertedWithCustomError(quorum, "TooFewSigners").withArgs(2, 3);
    await expect(quorum.verifyQuorum(...args(b), bitmap([0, 2, 3]), sigs[0]))
      .to.be.revertedWithCustomError(quorum, "SignatureInvalid");
    await expect(quorum.verifyQuorum(...args(b), bitmap([0, 2, 4, 5]), sigs[0]))
      .to.be.revertedWithCustomError(quorum, "BadBitmap");
    await expect(quorum.verifyQuorum(...args(b), bitmap([0, 2, 4]), sigs[2]))
      .to.be.revertedWithCustomError(quorum, "SignatureInvalid"); // key 5 signed, not in the set
    await expect(quorum.verifyQuorum(...args(b), 0n, sigs[0])).to.be.revertedWithCustomError(quorum, "BadBitmap");
    await expect(quorum.verifyQuorum(...args(b), bitmap([0, 2, 4]), sigs[0].slice(0, -2)))
      .to.be.revertedWithCustomError(quorum, "BadSignatureLength");
    await expect(quorum.witness(...args(b), bitmap([0, 2, 4]), sigs[0]))
      .to.emit(quorum, "Witnessed").withArgs(b.batchNo, bitmap([0, 2, 4]), b.root, b.headsRoot);
    expect(await quorum.witnessed(b.batchNo)).to.equal(ethers.keccak256(msg));
    await expect(quorum.witness(...args(b), bitmap([0, 2, 4]), sigs[0]))
      .to.be.revertedWithCustomError(quorum, "AlreadyWitnessed");
  });

  it("refuses a signature over another contract, another chain id or an earlier batch", async () => {
    const b1 = batch(1);
    const b2 = batch(2);
    await (await other.setWitnesses(keys.map((k) => k.point), keys.map((k) => k.compressed), keys.map((k) => k.pop), 3)).wait();
    const { chainId } = await ethers.provider.getNetwork();
    const otherChain = ethers.solidityPacked(
      ["bytes22", "uint256", "address", "uint64", "bytes32", "bytes32", "uint64", "uint64"],
      [ethers.toUtf8Bytes("siteledger/witness/v1\0"), chainId + 1n, await quorum.getAddress(), b2.batchNo, b2.root, b2.headsRoot, b2.firstSeq, b2.size],
    );
    const { sigs } = sign(5, [
      { message: await message(other, b2), signers: [0, 1, 2] },
      { message: otherChain, signers: [0, 1, 2] },
      { message: await message(quorum, b1), signers: [0, 1, 2] },
      { message: await message(quorum, b2), signers: [0, 1, 2] },
    ]);
    const bm = bitmap([0, 1, 2]);
    await expect(quorum.verifyQuorum(...args(b2), bm, sigs[0])).to.be.revertedWithCustomError(quorum, "SignatureInvalid");
    await expect(quorum.verifyQuorum(...args(b2), bm, sigs[1])).to.be.revertedWithCustomError(quorum, "SignatureInvalid");
    await expect(quorum.verifyQuorum(...args(b2), bm, sigs[2])).to.be.revertedWithCustomError(quorum, "SignatureInvalid");
    await other.verifyQuorum(...args(b2), bm, sigs[0]); // the same signature where it belongs
    await quorum.verifyQuorum(...args(b2), bm, sigs[3]);
  });

  it("a set without a witness refuses, and a point off the curve makes a precompile fail (revert)", async () => {
    const fresh = await ethers.deployContract(FQN);
    const b = batch(3);
    await expect(fresh.verifyQuorum(...args(b), 1n, "0x" + "00".repeat(256))).to.be.revertedWithCustomError(fresh, "NoWitnessSet");
    const bad = "0x" + ("00".repeat(63) + "01").repeat(4); // (1, 1) is not on the twist
    await expect(quorum.verifyQuorum(...args(b), bitmap([0, 1, 2]), bad))
      .to.be.revertedWithCustomError(quorum, "PrecompileFailed").withArgs("0x000000000000000000000000000000000000000F");
  });

  it("gas of a witnessed batch for k = 1..5 of 5", async () => {
    const gas = [];
    for (let k = 1; k <= 5; k++) {
      const q = await ethers.deployContract(FQN);
      await (await q.setWitnesses(keys.map((x) => x.point), keys.map((x) => x.compressed), keys.map((x) => x.pop), k)).wait();
      const b = batch(10 + k);
      const signers = [...Array(k).keys()];
      const { sigs } = sign(5, [{ message: await q.witnessMessage(...args(b)), signers }]);
      const receipt = await (await q.witness(...args(b), bitmap(signers), sigs[0])).wait();
      gas.push(Number(receipt.gasUsed));
    }
    console.log(`      witness() gas for k = 1..5 of 5: ${gas.join(", ")}`);
    expect(gas[2]).to.be.at.most(GAS_3_OF_5);
  });
});
