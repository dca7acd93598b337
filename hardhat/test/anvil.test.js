// The anvil binary that the Python side starts (see docs/contract.md) is installed, runs, and
// executes the committed artifact with the same gas as the Hardhat network.
"use strict";

const fs = require("fs");
const net = require("net");
const path = require("path");
const { spawn, execFileSync } = require("child_process");
const { expect } = require("chai");
const { ethers } = require("ethers");
const { ARTIFACT_PATH, V1_ARTIFACT_PATH, V2_ARTIFACT_PATH } = require("../solc-settings");
const { sign, bitmap, setArgs } = require("./witness");

const PLATFORM_PACKAGES = { "linux-x64": "anvil-linux-amd64" };
const pkg = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
const ANVIL = pkg && path.resolve(__dirname, "..", "node_modules", "@foundry-rs", pkg, "bin", "anvil");
// The first default account of anvil's `test test ... junk` mnemonic.
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

describe("anvil", function () {
  let child;

  before(function () {
    if (!pkg) {
      console.log(`      anvil: no pinned binary package for ${process.platform}-${process.arch}; skipping`);
      this.skip();
    }
  });

  after(function () {
    if (child && child.exitCode === null) child.kill("SIGTERM");
  });

  it("is installed at the documented path and reports version 1.7.1", function () {
    expect(fs.existsSync(ANVIL), `${ANVIL} missing: run npm ci in hardhat/`).to.equal(true);
    const out = execFileSync(ANVIL, ["--version"], { encoding: "utf8" });
    expect(out).to.match(/^anvil Version: 1\.7\.1\b/);
  });

  let provider;
  let wallet;

  it("deploys the committed artifacts and anchors within the measured gas", async function () {
    const port = await freePort();
    child = spawn(ANVIL, ["--host", "127.0.0.1", "--port", String(port), "--silent"], { stdio: "ignore" });
    // Fixed chain id (no network detection while anvil starts) and no response cache (ethers
    // would otherwise hand out the same pending nonce for back-to-back transactions).
    provider = new ethers.JsonRpcProvider(`http://127.0.0.1:${port}`, 31337, {
      staticNetwork: true,
      cacheTimeout: -1,
    });
    const deadline = Date.now() + 20000;
    for (;;) {
      try {
        await provider.getBlockNumber();
        break;
      } catch (e) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`anvil did not start: ${e.message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    wallet = new ethers.Wallet(DEV_KEY, provider);
    for (const [label, file, args, [lo, hi]] of [
      ["current", ARTIFACT_PATH, (b, first, size, root) => [b, first, size, root, ethers.sha256(root)], [55000, 56000]],
      ["v2", V2_ARTIFACT_PATH, (b, first, size, root) => [b, first, size, root, ethers.sha256(root)], [55000, 56000]],
      ["v1", V1_ARTIFACT_PATH, (b, first, size, root) => [b, first, size, root], [76500, 77000]],
    ]) {
      const artifact = JSON.parse(fs.readFileSync(file, "utf8"));
      const registry = await new ethers.ContractFactory(artifact.abi, artifact.bytecode, wallet).deploy();
      await registry.waitForDeployment();
      expect(await provider.getCode(await registry.getAddress())).to.equal(artifact.deployedBytecode);
      const used = [];
      let first = 0n;
      for (const [b, size] of [1, 1000, 100000].entries()) {
        const root = ethers.sha256(ethers.toUtf8Bytes(`anvil root ${b}`));
        const receipt = await (await registry.anchor(...args(b, first, size, root))).wait();
        used.push(Number(receipt.gasUsed));
        first += BigInt(size);
      }
      console.log(`      anvil gasUsed (${label}) for sizes 1, 1000, 100000: ${used.join(", ")}`);
      expect(await registry.nextSeq()).to.equal(first);
      for (const g of used) expect(g).to.be.within(lo, hi);
    }
  });

  it("runs the EIP-2537 precompiles: a 3-of-5 witnessed anchor (evm target prague)", async function () {
    this.timeout(120000);
    const artifact = JSON.parse(fs.readFileSync(ARTIFACT_PATH, "utf8"));
    expect(artifact.compiler.settings.evmVersion).to.equal("prague");
    const registry = await new ethers.ContractFactory(artifact.abi, artifact.bytecode, wallet).deploy();
    await registry.waitForDeployment();
    const { keys } = sign(5, []);
    await (await registry.setWitnesses(...setArgs(keys, 3, false))).wait();
    const b = [0, 0, 10, ethers.sha256("0x01"), ethers.sha256("0x02")];
    const { sigs } = sign(5, [{ message: await registry.witnessMessage(...b), signers: [1, 2, 4] }]);
    await expect(registry.anchor(...b)).to.be.rejectedWith(/QuorumRequired|0x/);
    const receipt = await (await registry.anchorWitnessed(...b, bitmap([1, 2, 4]), sigs[0])).wait();
    console.log(`      anvil gasUsed of a 3-of-5 witnessed anchor: ${receipt.gasUsed}`);
    expect(receipt.logs.map((l) => registry.interface.parseLog(l).name)).to.deep.equal(["Anchored", "Witnessed"]);
    expect(Number(receipt.gasUsed)).to.be.at.most(270000);
    provider.destroy();
  });
});
