// Deploys AnchorRegistry from the committed artifact (contracts/build/AnchorRegistry.json, the
// same bytes the Python side deploys and checks) to the selected network and prints one JSON
// object on stdout:
//
//   npx hardhat run --no-compile scripts/deploy.js --network localhost
//
// {"contract":"AnchorRegistry","chainId":31337,"address":"0x…","deploymentBlock":1,
//  "transactionHash":"0x…","deployer":"0x…","gasUsed":…}
//
// The deployer becomes admin and anchorer. Run `npm run check-artifacts` first if in doubt.
"use strict";

const fs = require("fs");
const hre = require("hardhat");
const { ARTIFACT_PATH } = require("../solc-settings");

async function main() {
  const artifact = JSON.parse(fs.readFileSync(ARTIFACT_PATH, "utf8"));
  const [deployer] = await hre.ethers.getSigners();
  const factory = new hre.ethers.ContractFactory(artifact.abi, artifact.bytecode, deployer);
  const contract = await factory.deploy();
  const receipt = await contract.deploymentTransaction().wait();
  const address = await contract.getAddress();
  const code = await hre.ethers.provider.getCode(address);
  if (code !== artifact.deployedBytecode) {
    throw new Error(`code at ${address} differs from the artifact's deployedBytecode`);
  }
  const { chainId } = await hre.ethers.provider.getNetwork();
  const out = {
    contract: artifact.contractName,
    chainId: Number(chainId),
    address,
    deploymentBlock: receipt.blockNumber,
    transactionHash: receipt.hash,
    deployer: deployer.address,
    gasUsed: Number(receipt.gasUsed),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  process.stderr.write(`deploy: ${e.message}\n`);
  process.exitCode = 1;
});
