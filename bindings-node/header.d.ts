/* Hand-written types of the plain objects the `loggvakt` package takes and
 * gives; `napi build` puts this file at the top of the generated index.d.ts. */

/** One access-log event in the canonical shape (docs/formats.md): `time`,
 * `user` and `action` are required; any other member is an extension
 * attribute rules may read. A `Date` is written as its ISO 8601 text. */
export interface EventObject {
  id?: string
  time: string | Date
  user: string
  action: string
  outcome?: 'success' | 'failure' | 'denied' | null
  patient?: string | null
  unit?: string | null
  resource?: string | null
  ip?: string | null
  drug?: string | null
  amount?: number | null
  purpose?: string | null
  system?: string | null
  [attribute: string]: unknown
}

/** The input formats a path may be read as (docs/formats.md). */
export type Format = 'jsonl' | 'fhir' | 'csv' | 'inera' | 'atna' | 'windows' | 'keycloak' | 'entra'

/** The options of `RuleSet.evaluate` and `RuleSet.evaluateAsync`, the
 * command line's `run` options in camelCase. */
export interface EvaluateOptions {
  /** A context folder (docs/context.md) or a `Context` made of objects. */
  context?: string | Context
  /** The local calendar month to evaluate, `YYYY-MM`. */
  period?: string
  /** An IANA time zone; overrides the rule files' zone. */
  tz?: string
  /** The seed of the samples: a number or any text. */
  seed?: number | string
  /** Parameter overrides, as `--param NAME=VALUE`. */
  params?: Record<string, string | number>
  /** Count unreadable records (`skip`, the default) or throw at the first. */
  onError?: 'skip' | 'fail'
  /** The report's `generated_at`; the clock by default. */
  now?: string | Date
  /** The format of a path input; detected as the command line detects it. */
  format?: Format
  /** Whether a second copy of an event is dropped (default) or kept. */
  duplicates?: 'drop' | 'keep'
  /** For CSV files: the column that holds each canonical field. */
  csvMap?: Record<string, string>
  /** For CSV files: the delimiter, one character (`tab` for a tab). */
  delimiter?: string
  /** For CSV files: the quote character. */
  quote?: string
}

/** The tables of a `Context`, with the columns of docs/context.md. */
export interface ContextTables {
  users?: Array<Record<string, unknown>>
  patients?: Array<Record<string, unknown>>
  relations?: Array<Record<string, unknown>>
  drugs?: Array<Record<string, unknown>>
  /** Text lists as arrays of strings; IP range lists as `{ ranges }`. */
  lists?: Record<string, string[] | { ranges: string[] }>
}

/** One finding, as in the report's JSON (docs/report.md). */
export interface Finding {
  rule: string
  title: string
  category: string
  severity: string
  key: Record<string, string>
  window: { start: string; end: string }
  values: Record<string, number>
  evidence: { ids: string[]; total: number }
  condition: string
  explanation: string
  [member: string]: unknown
}

/** The report's `input` member: what was read. */
export interface InputSummary {
  read: number
  evaluated: number
  rejected: number
  outside_period: number
  ignored: number
  reasons: Array<{ reason: string; code: string; count: number; locations: string[]; example: string }>
  [member: string]: unknown
}

/** The report's `samples` member. */
export type Samples = Record<string, unknown>

/** The whole report as plain objects (docs/report.md). */
export interface ReportJson {
  schema: number
  findings: Finding[]
  input: InputSummary
  samples: Samples
  seed: string | null
  [member: string]: unknown
}

/** The errors the package throws carry the project's stable code
 * (docs/errors.md); rule and context errors also say where. */
export interface LoggvaktError extends Error {
  code: string
  line?: number
  column?: number
  diagnostics?: Diagnostic[]
  reason?: string
  location?: string
}
