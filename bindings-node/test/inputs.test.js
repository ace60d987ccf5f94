// The same findings as the command line for a path, an array, an iterable
// and an async iterable of a generated month with its context; the event
// loop runs on while evaluateAsync works.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Context, RuleSet } = require('..');
const { cli } = require('./support');

const ROOT = path.resolve(__dirname, '..', '..');
const STANDARD = path.join(ROOT, 'rules', 'standard.vakt');
const NOW = '2026-04-01T08:00:00+00:00';

const month = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-month-'));
execFileSync(cli(), ['-q', 'generate', '--seed', '7', '--period', '2026-03', '--users', '40',
  '--events', '5000', '--out', month]);
const eventsFile = path.join(month, 'events.jsonl');
const context = path.join(month, 'context');
const expected = JSON.parse(execFileSync(cli(), ['-q', 'run', '--rules', STANDARD, '--events',
  eventsFile, '--period', '2026-03', '--context', context, '--seed', '2026', '--now', NOW],
{ maxBuffer: 1 << 28 }).toString());
const events = fs.readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const rules = RuleSet.fromFile(STANDARD);
const options = { period: '2026-03', context, seed: 2026, now: NOW };

function same(report) {
  const json = report.toJSON();
  assert.ok(json.findings.length > 0);
  assert.deepStrictEqual(json.findings, expected.findings);
  assert.deepStrictEqual(json.samples, expected.samples);
  assert.equal(report.seed, '2026');
  assert.equal(json.input.evaluated, expected.input.evaluated);
}

test('a path gives the command line report, byte for byte but `run`', () => {
  const report = rules.evaluate(eventsFile, options);
  const json = report.toJSON();
  delete json.run;
  const cli = { ...expected };
  delete cli.run;
  assert.equal(JSON.stringify(json), JSON.stringify(cli));
});

test('an array gives the command line findings', () => same(rules.evaluate(events, options)));

test('an iterable gives the command line findings', () => {
  function* each() { yield* events; }
  same(rules.evaluate(each(), options));
});

test('an async iterable gives the command line findings', async () => {
  async function* each() { for (const event of events) yield event; }
  same(await rules.evaluateAsync(each(), options));
});

test('a path and an array through evaluateAsync', async () => {
  same(await rules.evaluateAsync(eventsFile, options));
  same(await rules.evaluateAsync(events, options));
});

test('the event loop runs while evaluateAsync works', async () => {
  const many = [];
  for (let i = 0; i < 40; i++) many.push(...events);
  let ticks = 0;
  const timer = setInterval(() => { ticks += 1; }, 1);
  try {
    const report = await rules.evaluateAsync(many, { ...options, duplicates: 'keep' });
    assert.equal(report.input.read, many.length);
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticks > 0, 'the timer never fired');
});

test('an async iterable of 5M events is read with bounded memory', { timeout: 900000 }, async (t) => {
  // One cheap rule: the streaming is under test, not the standard pack.
  const one = RuleSet.fromString(
    'rule writes {\n title "W"\n category pattern\n severity low\n where action == "write"\n explain "{user}"\n}',
  );
  const total = 5_000_000;
  async function* generated() {
    for (let i = 0; i < total; i++) {
      yield { id: `e${i}`, time: '2026-03-02T08:00:00Z', user: `u${i % 50}`, action: 'read', patient: `p${i % 997}` };
    }
  }
  const before = process.memoryUsage().rss;
  const report = await one.evaluateAsync(generated(), { period: '2026-03', duplicates: 'keep', now: NOW });
  const after = process.memoryUsage().rss;
  t.diagnostic(`rss grew ${(after - before) >> 20} MB over ${total} events`);
  assert.equal(report.input.read, total);
  // 5M events as objects would take well over 1 GB; the batches take a
  // few MB. 200 MB leaves room for the heap's own growth.
  assert.ok(after - before < 200 * 1024 * 1024, `rss grew ${(after - before) >> 20} MB`);
});

test('toHtml and toCsv give the pages the command line writes', () => {
  const page = path.join(month, 'r.html');
  const table = path.join(month, 'r.csv');
  execFileSync(cli(), ['-q', 'run', '--rules', STANDARD, '--events', eventsFile, '--period',
    '2026-03', '--context', context, '--seed', '2026', '--now', NOW, '--lang', 'sv',
    '--out', page, table]);
  const report = rules.evaluate(eventsFile, options);
  assert.equal(report.toHtml({ lang: 'sv' }), fs.readFileSync(page, 'utf8'));
  assert.equal(report.toCsv(), fs.readFileSync(table, 'utf8'));
  assert.ok(report.toHtml({ organisation: 'Region Test' }).includes('Region Test'));
  assert.throws(() => report.toHtml({ lang: 'fi' }), { code: 'LV0407' });
  assert.throws(() => report.toHtml({ colour: 'red' }), { code: 'LV0405' });
});

test('a context of objects names its tables as the report does', () => {
  const tables = new Context({
    users: [{ id: 'u0001', units: ['avd-1'] }],
    countries: [{ network: '10.0.0.0/8', country: 'SE' }],
    lists: { vpn: { ranges: ['10.0.0.0/8'] }, watch: ['p000001'] },
  });
  assert.deepEqual(tables.tables, ['users', 'countries', 'lists/vpn.cidr', 'lists/watch.txt']);
  const report = rules.evaluate([], { context: tables, period: '2026-03', now: NOW });
  const names = report.toJSON().context.files.map((f) => f.name);
  assert.deepEqual(names.sort(), ['countries', 'lists/vpn.cidr', 'lists/watch.txt', 'users']);
});
