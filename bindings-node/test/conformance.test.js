// Every case under tests/conformance/, run through Node, gives the report
// in its expected.json (the report without `run`), as the Rust runner
// (core/tests/conformance.rs) checks it.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const loggvakt = require('..');

const ROOT = path.resolve(__dirname, '..', '..', 'tests', 'conformance');

function cases(dir, found = []) {
  if (fs.existsSync(path.join(dir, 'case.json'))) found.push(dir);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.isDirectory()) cases(path.join(dir, entry.name), found);
  }
  return found;
}

function diagnostics(folder, kase) {
  const found = {};
  for (const name of kase.rules) {
    const check = loggvakt.RuleSet.fromFile(path.join(folder, name)).check();
    found[name] = check.diagnostics.map((d) => ({
      code: d.code, severity: d.severity, line: d.line, column: d.column, message: d.message,
    }));
  }
  return found;
}

function run(folder) {
  const kase = JSON.parse(fs.readFileSync(path.join(folder, 'case.json'), 'utf8'));
  if (kase.kind === 'diagnostics') return diagnostics(folder, kase);
  assert.equal(kase.rules.length, 1, 'a case names one rule file or folder');
  const rules = loggvakt.RuleSet.fromFile(path.join(folder, kase.rules[0]));
  const csv = kase.csv || {};
  const report = rules.evaluate(kase.events.map((p) => path.join(folder, p)), {
    period: kase.period ?? undefined,
    tz: kase.tz ?? undefined,
    format: kase.format ?? undefined,
    seed: kase.seed ?? undefined,
    context: kase.context ? path.join(folder, kase.context) : undefined,
    csvMap: csv.map ?? undefined,
    delimiter: csv.delimiter ?? undefined,
    quote: csv.quote ?? undefined,
  });
  const result = report.toJSON();
  delete result.run;
  return result;
}

const found = cases(ROOT);

test('there are cases', () => {
  assert.ok(found.length >= 30);
});

for (const folder of found) {
  test(`conformance ${path.relative(ROOT, folder)}`, () => {
    const expected = JSON.parse(fs.readFileSync(path.join(folder, 'expected.json'), 'utf8'));
    const result = run(folder);
    assert.deepStrictEqual(result, expected);
    // Key order too: JSON.stringify(report) writes the JSON the CLI writes.
    if (!expected['faults.vakt'] && result.schema !== undefined) {
      assert.equal(JSON.stringify(result), JSON.stringify(expected));
    }
  });
}
