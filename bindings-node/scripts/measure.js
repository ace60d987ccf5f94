// Times the Node package against the command line on one generated month:
//   node scripts/measure.js MONTH_FOLDER [LOGGVAKT_COMMAND]
// where MONTH_FOLDER was written by `loggvakt generate … --out MONTH_FOLDER`.
// Prints seconds for the command on events.jsonl, and for the package on the
// same events as an array and as an async iterable of objects (the objects
// are parsed before the clock starts), each with the same findings.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { RuleSet } = require('..');

const [month, command = 'loggvakt'] = process.argv.slice(2);
const rules = path.resolve(__dirname, '..', '..', 'rules', 'standard.vakt');
const file = path.join(month, 'events.jsonl');
const options = { period: '2026-03', context: path.join(month, 'context'), seed: 2026, now: '2026-04-01T08:00:00Z' };

function seconds(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

let start = process.hrtime.bigint();
const cli = JSON.parse(execFileSync(command, ['-q', 'run', '--rules', rules, '--events', file,
  '--period', '2026-03', '--context', options.context, '--seed', '2026', '--now', options.now],
{ maxBuffer: 1 << 30 }));
console.log(`command line, events.jsonl: ${seconds(start).toFixed(2)} s`);

const events = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const set = RuleSet.fromFile(rules);
const same = (report) => JSON.stringify(report.findings) === JSON.stringify(cli.findings);

(async () => {
  start = process.hrtime.bigint();
  let report = set.evaluate(events, options);
  console.log(`evaluate(array):         ${seconds(start).toFixed(2)} s, same findings: ${same(report)}`);

  start = process.hrtime.bigint();
  report = await set.evaluateAsync(events, options);
  console.log(`evaluateAsync(array):    ${seconds(start).toFixed(2)} s, same findings: ${same(report)}`);

  async function* each() { for (const event of events) yield event; }
  start = process.hrtime.bigint();
  report = await set.evaluateAsync(each(), options);
  console.log(`evaluateAsync(async it): ${seconds(start).toFixed(2)} s, same findings: ${same(report)}`);

  start = process.hrtime.bigint();
  report = await set.evaluateAsync(file, options);
  console.log(`evaluateAsync(path):     ${seconds(start).toFixed(2)} s, same findings: ${same(report)}`);
  console.log(`${events.length} events, ${cli.findings.length} findings`);
})();
