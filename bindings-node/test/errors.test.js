// Error paths: broken rules, bad objects, wrong argument types, deep
// nesting. None of them crashes the process; each throws with a code.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { RuleSet, Context } = require('..');

const BROKEN = 'rule x {\n    title    "X"\n    category relation\n    severity low\n    where    usr == "a"\n}\n';
const EVERY_READ = `
rule every_read {
    title    "Every read"
    category relation
    severity low
    where    action == "read"
    explain  "{user} read"
}
`;
const GOOD = { time: '2026-03-02T08:00:00Z', user: 'anna', action: 'read' };
const rules = RuleSet.fromString(EVERY_READ);

test('a bad rule file has located diagnostics and throws on evaluate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-'));
  const file = path.join(dir, 'broken.vakt');
  fs.writeFileSync(file, BROKEN);
  const broken = RuleSet.fromFile(file);
  const check = broken.check();
  assert.equal(check.ok, false);
  const [first] = check.diagnostics;
  assert.deepEqual([first.code, first.line, first.column], ['LV0201', 5, 14]);
  assert.equal(first.message, 'unknown field `usr`');
  assert.equal(first.help, 'did you mean `user`?');
  assert.ok(first.file.endsWith('broken.vakt'));
  assert.throws(() => broken.evaluate([GOOD]), (error) => {
    assert.ok(error instanceof Error);
    assert.equal(error.code, 'LV0201');
    assert.equal(error.line, 5);
    assert.equal(error.column, 14);
    assert.deepEqual(error.diagnostics, check.diagnostics);
    assert.match(error.message, /broken\.vakt:5:14: \[LV0201\] unknown field `usr`/);
    return true;
  });
});

test('rules without rules cannot be evaluated', () => {
  const empty = RuleSet.fromString('');
  assert.equal(empty.check().ok, true);
  assert.throws(() => empty.evaluate([GOOD]), { code: 'LV0219' });
});

test('bad objects are rejected like bad lines, with their place', () => {
  const cyclic = { ...GOOD };
  cyclic.self = cyclic;
  const events = [GOOD, { user: 'x', action: 'read' }, 'text', { ...GOOD, ip: '10.0.0.256' }, cyclic, undefined];
  const report = rules.evaluate(events);
  const reasons = Object.fromEntries(report.input.reasons.map((r) => [r.reason, r.locations]));
  assert.deepEqual(reasons, {
    bad_ip: ['Array#4'],
    invalid_json: ['Array#5'],
    missing_field: ['Array#2'],
    not_an_object: ['Array#3', 'Array#6'],
  });
  assert.throws(() => rules.evaluate(events, { onError: 'fail' }), (error) => {
    assert.deepEqual([error.code, error.reason, error.location], ['LV0302', 'missing_field', 'Array#2']);
    return true;
  });
});

test('an event nested 10,000 deep is rejected, not a crash', () => {
  let deep = 'x';
  for (let i = 0; i < 10000; i++) deep = [deep];
  const report = rules.evaluate([GOOD, { ...GOOD, nested: deep }]);
  assert.equal(report.input.rejected, 1);
  assert.equal(report.input.reasons[0].code, 'LV0301');
});

test('a rule with 10,000 nested brackets is a located error', () => {
  const text = EVERY_READ.replace('action == "read"', '('.repeat(10000) + 'true' + ')'.repeat(10000));
  const deep = RuleSet.fromString(text);
  const check = deep.check();
  assert.equal(check.ok, false);
  assert.equal(check.diagnostics[0].code, 'LV0104');
  assert.throws(() => deep.evaluate([GOOD]), { code: 'LV0104' });
});

test('a failing iterable throws its own error', () => {
  function* events() {
    yield GOOD;
    throw new RangeError('the source broke');
  }
  assert.throws(() => rules.evaluate(events()), { name: 'RangeError', message: 'the source broke' });
});

test('a failing async iterable rejects with its own error', async () => {
  async function* events() {
    yield GOOD;
    throw new RangeError('the source broke');
  }
  await assert.rejects(rules.evaluateAsync(events()), { name: 'RangeError', message: 'the source broke' });
});

test('wrong argument types are TypeErrors with code LV0410', async () => {
  const wrong = [
    () => RuleSet.fromFile(42),
    () => RuleSet.fromString(null),
    () => RuleSet.fromString('', { name: 3 }),
    () => rules.evaluate(42),
    () => rules.evaluate(GOOD),
    () => rules.evaluate(Buffer.from('x')),
    () => rules.evaluate([GOOD], { period: 202603 }),
    () => rules.evaluate([GOOD], { now: 12 }),
    () => rules.evaluate([GOOD], { params: ['a'] }),
    () => rules.evaluate([GOOD], { context: 5 }),
    () => rules.evaluate([GOOD], 'options'),
    () => rules.setParam('max', [3]),
    () => new Context({ users: 'anna' }),
  ];
  for (const call of wrong) {
    assert.throws(call, (error) => {
      assert.ok(['LV0410', 'LV0411'].includes(error.code), `${error.code}: ${error.message}`);
      return true;
    });
  }
  assert.throws(() => rules.evaluate([GOOD], { period: 202603 }), { name: 'TypeError', code: 'LV0410' });
  await assert.rejects(async () => rules.evaluateAsync(42), { code: 'LV0410' });
});

test('bad option values have the command line codes', () => {
  assert.throws(() => rules.evaluate([GOOD], { period: 'March' }), { code: 'LV0401' });
  assert.throws(() => rules.evaluate([GOOD], { tz: 'europe/stockholm' }), {
    code: 'LV0402',
    message: /did you mean `Europe\/Stockholm`/,
  });
  assert.throws(() => rules.evaluate([GOOD], { onError: 'ignore' }), { code: 'LV0405' });
  assert.throws(() => rules.evaluate([GOOD], { perod: '2026-03' }), { code: 'LV0405', message: /unknown option `perod`/ });
  assert.throws(() => rules.evaluate([GOOD], { format: 'jsonl' }), { code: 'LV0405', message: /apply to paths/ });
  assert.throws(() => rules.evaluate([GOOD], { now: new Date('x') }), { code: 'LV0405' });
  assert.throws(() => rules.evaluate('/no/such/events.jsonl'), { code: 'LV0403' });
  assert.throws(() => RuleSet.fromFile('/no/such/rules.vakt'), { code: 'LV0403' });
});

test('parameters and overrides', () => {
  const standard = RuleSet.fromFile(path.resolve(__dirname, '..', '..', 'rules', 'standard.vakt'));
  assert.equal(standard.params.max_failed_sign_ins, 5);
  standard.setParam('max_failed_sign_ins', 9);
  assert.equal(standard.params.max_failed_sign_ins, 9);
  assert.throws(() => standard.setParam('max_failed_sign_in', 3), (error) => {
    assert.equal(error.code, 'LV0218');
    assert.equal(error.diagnostics[0].help, 'did you mean `max_failed_sign_ins`?');
    return true;
  });
  const report = standard.evaluate([GOOD], { params: { max_failed_sign_ins: 2 } });
  assert.equal(report.toJSON().params.max_failed_sign_ins, 2);
  assert.equal(standard.params.max_failed_sign_ins, 9);
});

test('context tables with bad rows throw every problem, placed', () => {
  assert.throws(
    () => new Context({ users: [{ id: 'anna' }, { id: 'anna' }, { idd: 'bo' }] }),
    (error) => {
      assert.ok(error.code.startsWith('LV05'));
      const messages = error.diagnostics.map((d) => d.message).join('\n');
      assert.match(messages, /users\[1\]/);
      assert.match(messages, /users\[2\]/);
      return true;
    },
  );
  assert.throws(() => new Context({ lists: { watch: ['a\nb'] } }), { code: 'LV0411' });
  assert.throws(() => new Context({ staff: [] }), { code: 'LV0411' });
});
