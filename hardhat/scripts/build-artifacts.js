#!/usr/bin/env node
// Compiles contracts/AnchorRegistry.sol with the pinned npm solc (solc-js, standard JSON) and
// writes contracts/build/AnchorRegistry.json, the artifact that the Python side loads without Node.
//
//   node scripts/build-artifacts.js           write the artifact   (npm run artifacts)
//   node scripts/build-artifacts.js --check   rebuild to a temporary file and fail if it differs
//                                             from the committed artifact (npm run check-artifacts)
//
// The output is deterministic: fixed key order, two-space indentation, trailing newline.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const solc = require("solc");
const {
  SOLC_VERSION,
  SOLC_SETTINGS,
  REPO_ROOT,
  CONTRACT_NAME,
  SOURCE_NAME,
  ARTIFACT_PATH,
} = require("../solc-settings");

function compile() {
  const longVersion = solc.version();
  if (!longVersion.startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(`solc-js reports ${longVersion}, expected ${SOLC_VERSION} from package.json`);
  }
  const input = {
    language: "Solidity",
    sources: { [SOURCE_NAME]: { content: fs.readFileSync(path.join(REPO_ROOT, SOURCE_NAME), "utf8") } },
    settings: {
      optimizer: { ...SOLC_SETTINGS.optimizer },
      evmVersion: SOLC_SETTINGS.evmVersion,
      outputSelection: { [SOURCE_NAME]: { [CONTRACT_NAME]: ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
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
        evmVersion: SOLC_SETTINGS.evmVersion,
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
  const check = argv.includes("--check");
  const text = compile();
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
      `check-artifacts: ${rel} does not match a fresh build of ${SOURCE_NAME} (${why}).\n` +
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
