#!/usr/bin/env node
// Compiles the AnchorRegistry sources with the pinned npm solc (solc-js, standard JSON) and writes
// the artifacts that the Python side loads without Node:
//   contracts/AnchorRegistry.sol    -> contracts/build/AnchorRegistry.json    (registry version 2
//     with witness sets, evmVersion prague; imports contracts/BLS12381.sol)
//   contracts/v2/AnchorRegistry.sol -> contracts/build/AnchorRegistryV2.json  (registry version 2
//     as deployed before witness sets) and
//   contracts/v1/AnchorRegistry.sol -> contracts/build/AnchorRegistryV1.json  (registry version 1),
//     both compiled under their original unit name contracts/AnchorRegistry.sol and evmVersion
//     cancun, so their bytes are those of the contracts deployed with them
//
//   node scripts/build-artifacts.js           write the artifacts   (npm run artifacts)
//   node scripts/build-artifacts.js --check   rebuild to temporary files and fail if one differs
//                                             from the committed artifact (npm run check-artifacts)
//
// The output is deterministic: fixed key order, two-space indentation, trailing newline.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const solc = require("solc");
const { SOLC_VERSION, SOLC_SETTINGS, REPO_ROOT, CONTRACT_NAME, ARTIFACTS } = require("../solc-settings");

/** The artifact text for one entry of ARTIFACTS ({file, sourceName, evmVersion, imports}). */
function compile({ file, sourceName, evmVersion, imports }) {
  const SOURCE_NAME = sourceName;
  const longVersion = solc.version();
  if (!longVersion.startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(`solc-js reports ${longVersion}, expected ${SOLC_VERSION} from package.json`);
  }
  const input = {
    language: "Solidity",
    sources: { [SOURCE_NAME]: { content: fs.readFileSync(file, "utf8") } },
    settings: {
      optimizer: { ...SOLC_SETTINGS.optimizer },
      evmVersion,
      outputSelection: { [SOURCE_NAME]: { [CONTRACT_NAME]: ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
  for (const name of imports) {
    input.sources[name] = { content: fs.readFileSync(path.join(REPO_ROOT, name), "utf8") };
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const problems = output.errors || [];
  for (const p of problems) process.stderr.write(`${p.formattedMessage || p.message}\n`);
  if (problems.some((p) => p.severity === "error")) throw new Error("solc reported errors");
  if (problems.length > 0) throw new Error("solc reported warnings; the contract must compile cleanly");
  const c = output.contracts[SOURCE_NAME][CONTRACT_NAME];
  const artifact = {
    _generated: `by hardhat/scripts/build-artifacts.js with solc-js ${longVersion}, do not edit`,
    compiler: {
      version: longVersion,
      settings: {
        optimizer: { enabled: SOLC_SETTINGS.optimizer.enabled, runs: SOLC_SETTINGS.optimizer.runs },
        evmVersion,
      },
    },
    contractName: CONTRACT_NAME,
    sourceName: SOURCE_NAME,
    abi: c.abi,
    bytecode: `0x${c.evm.bytecode.object}`,
    deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
  };
  return `${JSON.stringify(artifact, null, 2)}\n`;
}

function main(argv) {
  let status = 0;
  for (const entry of ARTIFACTS) status = Math.max(status, one(entry, argv.includes("--check")));
  return status;
}

function one(entry, check) {
  const ARTIFACT_PATH = entry.artifactPath;
  const text = compile(entry);
  const rel = path.relative(REPO_ROOT, ARTIFACT_PATH);
  if (!check) {
    fs.mkdirSync(path.dirname(ARTIFACT_PATH), { recursive: true });
    fs.writeFileSync(ARTIFACT_PATH, text);
    process.stdout.write(`wrote ${rel}\n`);
    return 0;
  }
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "siteledger-artifacts-"));
  const tmp = path.join(tmpDir, path.basename(ARTIFACT_PATH));
  try {
    fs.writeFileSync(tmp, text);
    const committed = fs.existsSync(ARTIFACT_PATH) ? fs.readFileSync(ARTIFACT_PATH, "utf8") : null;
    if (committed === fs.readFileSync(tmp, "utf8")) {
      process.stdout.write(`${rel} is up to date (solc-js ${solc.version()})\n`);
      return 0;
    }
    let why = "it is missing";
    if (committed !== null) {
      let fields = [];
      try {
        const old = JSON.parse(committed);
        const fresh = JSON.parse(text);
        fields = Object.keys({ ...old, ...fresh }).filter(
          (k) => JSON.stringify(old[k]) !== JSON.stringify(fresh[k]),
        );
      } catch (e) {
        fields = [`(committed file is not valid JSON: ${e.message})`];
      }
      why = fields.length > 0 ? `fields differ: ${fields.join(", ")}` : "formatting differs";
    }
    process.stderr.write(
      `check-artifacts: ${rel} does not match a fresh build of ${path.relative(REPO_ROOT, entry.file)} (${why}).\n` +
        `Run \`npm run artifacts\` in hardhat/ and commit contracts/build/ together with the source.\n`,
    );
    return 1;
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`build-artifacts: ${e.message}\n`);
    process.exitCode = 2;
  }
}

module.exports = { compile };
