// Lints the DAG files with Ruff's WebAssembly build: Airflow rules (AIR0, and AIR3: the Airflow 3
// migration rules, several of them preview), pyflakes (F) and syntax errors (E9).
// Usage: node ruff_lint.cjs TOOLS_DIR DAGS_DIR   (TOOLS_DIR holds node_modules)
"use strict";
const fs = require("fs");
const path = require("path");

const [toolsDir, dagsDir] = process.argv.slice(2);
const { Workspace, PositionEncoding } = require(
  require.resolve("@astral-sh/ruff-wasm-nodejs", { paths: [path.resolve(toolsDir)] }));

const workspace = new Workspace(
  {
    "line-length": 120,
    "target-version": "py39",
    lint: { select: ["AIR0", "AIR3", "F", "E9"], preview: true },
  },
  PositionEncoding.Utf16,
);

let findings = 0;
const files = fs.readdirSync(dagsDir).filter((f) => f.endsWith(".py")).sort();
for (const file of files) {
  const source = fs.readFileSync(path.join(dagsDir, file), "utf8");
  for (const d of workspace.check(source)) {
    findings += 1;
    console.error(`ruff: ${file}:${d.start_location.row}:${d.start_location.column}: ${d.code} ${d.message}`);
  }
}
console.log(`ruff ${Workspace.version()}: ${files.length} files, ${findings} findings (AIR0, AIR3, F, E9; preview)`);
process.exit(findings === 0 ? 0 : 1);
