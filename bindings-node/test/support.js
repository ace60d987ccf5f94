// Shared by the tests: the built `loggvakt` command results are compared with.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** The built command: LOGGVAKT_CLI, else the workspace's target folder. */
function cli() {
  if (process.env.LOGGVAKT_CLI) return process.env.LOGGVAKT_CLI;
  const target = process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target');
  for (const profile of ['debug', 'release']) {
    const file = path.join(target, profile, 'loggvakt');
    if (fs.existsSync(file)) return file;
  }
  throw new Error('no built loggvakt command; run `cargo build -p loggvakt-cli`');
}

module.exports = { cli, ROOT };
