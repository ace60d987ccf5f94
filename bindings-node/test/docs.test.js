// The examples of docs/node.md run, each in a fresh `node` process, in a
// folder holding the repository's rules and the month the page generates;
// `require('loggvakt')` finds this package.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { cli } = require('./support');

const ROOT = path.resolve(__dirname, '..', '..');
const PAGE = fs.readFileSync(path.join(ROOT, 'docs', 'node.md'), 'utf8');

function blocks(language) {
  const found = [];
  const pattern = new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g');
  for (const match of PAGE.matchAll(pattern)) found.push(match[1]);
  return found;
}

test('the page has examples', () => {
  assert.ok(blocks('js').length >= 4);
});

test('the examples run', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-docs-'));
  fs.symlinkSync(path.join(ROOT, 'rules'), path.join(folder, 'rules'));
  const modules = path.join(folder, 'node_modules');
  fs.mkdirSync(modules);
  fs.symlinkSync(path.resolve(__dirname, '..'), path.join(modules, 'loggvakt'));
  const [generate] = blocks('sh').filter((b) => b.startsWith('loggvakt generate'));
  execFileSync(cli(), ['-q', ...generate.trim().split(/\s+/).slice(1)], { cwd: folder });
  blocks('js').forEach((code, index) => {
    const file = path.join(folder, `example-${index + 1}.js`);
    fs.writeFileSync(file, code);
    execFileSync(process.execPath, [file], { cwd: folder, stdio: 'pipe' });
  });
});

test('the packed tarball installs into a fresh folder and works', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-pack-'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packed = execFileSync(npm, ['pack', '--silent', '--pack-destination', folder], {
    cwd: path.resolve(__dirname, '..'),
  }).toString().trim().split('\n').pop();
  const app = path.join(folder, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), '{"name": "app", "private": true}');
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', path.join(folder, packed)], { cwd: app });
  const script = "const l = require('loggvakt'); const r = l.RuleSet.fromString(" +
    "'rule a {\\n title \"A\"\\n category pattern\\n severity low\\n where action == \"read\"\\n explain \"{user}\"\\n}');" +
    "console.log(r.evaluate([{time: '2026-03-02T08:00:00Z', user: 'anna', action: 'read'}]).findings.length, l.VERSION)";
  const out = execFileSync(process.execPath, ['-e', script], { cwd: app }).toString().trim();
  assert.equal(out, `1 ${require('..').VERSION}`);
  const installed = fs.readdirSync(path.join(app, 'node_modules', 'loggvakt'));
  for (const file of ['index.js', 'index.d.ts']) assert.ok(installed.includes(file), file);
  assert.ok(installed.some((file) => file.endsWith('.node')), 'the addon');
});
