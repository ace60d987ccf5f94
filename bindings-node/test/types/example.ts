// A typed use of the package: compiled with `tsc --noEmit` against the
// generated index.d.ts, so the declarations cannot drift from the API.
import { Context, RuleSet, type EvaluateOptions, type Finding, type Report } from '../..'

async function review(path: string): Promise<Finding[]> {
  const rules = RuleSet.fromFile('rules/standard.vakt')
  const check = rules.check()
  if (!check.ok) throw new Error(check.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'))
  const context = new Context({ users: [{ id: 'anna', units: ['ward-4'] }], lists: { vpn: { ranges: ['10.0.0.0/8'] } } })
  const options: EvaluateOptions = { period: '2026-03', tz: 'Europe/Stockholm', seed: 7, context, onError: 'skip' }
  const fromFile: Report = rules.evaluate(path, options)
  const fromObjects = await rules.evaluateAsync([{ time: new Date(), user: 'anna', action: 'read' }], options)
  const seed: string | null = fromObjects.seed
  void seed
  return [...fromFile.findings, ...fromObjects.toJSON().findings]
}

void review
