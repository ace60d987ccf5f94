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

/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/**
 * Reference data the rules look up, given as plain objects: `users`,
 * `patients`, `relations`, `drugs` and `countries` as arrays of objects
 * with the columns of docs/context.md, and `lists` mapping a name to an
 * array of strings (a text list) or to `{ ranges: [...] }` (a list of IP
 * ranges). Every row is checked when the context is made; a bad row
 * throws an `Error` whose `diagnostics` name each problem at `users[N]`,
 * the object at index N.
 */
export declare class Context {
  /** Makes a context of `tables`; throws every problem in them. */
  constructor(tables: ContextTables)
  /**
   * The names of the tables given, as the report's `context.files`
   * names them: `users`, `lists/vpn.cidr`, …
   */
  get tables(): Array<string>
}

/**
 * The result of one evaluation. `toJSON()` gives the report as plain
 * objects, member for member the JSON the command line writes (schema in
 * docs/report.md), so `JSON.stringify(report)` is that JSON; the getters
 * give parts of it. Each read makes fresh objects.
 */
export declare class Report {
  /** The report as plain objects: what `JSON.stringify` writes. */
  toJSON(): ReportJson
  /** The report as JSON text, exactly as `loggvakt run` writes it. */
  toJsonText(): string
  /**
   * The printable report: one self-contained HTML page for A4 with
   * charts, the findings, the cases to review with empty decision
   * columns and a sign-off, as `loggvakt run --out report.html` writes
   * it. `lang` is `"en"` (default) or `"sv"` (another throws LV0407);
   * `organisation` names the care provider in the header (default: the
   * report's own).
   */
  toHtml(options?: { lang?: 'en' | 'sv'; organisation?: string }): string
  /**
   * The findings and the cases to review as one CSV table with a `kind`
   * column, as `loggvakt run --out findings.csv` writes it.
   */
  toCsv(): string
  /** The findings, sorted as in the report. */
  get findings(): Finding[]
  /** The samples drawn: of findings per category, and the spot check. */
  get samples(): Samples
  /**
   * The seed of the samples; `null` when the rules sample nothing and
   * no seed was given.
   */
  get seed(): string | null
  /**
   * What was read: counts of records read, evaluated, rejected (with
   * the reasons), outside the period and ignored.
   */
  get input(): InputSummary
}

/**
 * Rule files read and checked: the set of rules when they have no errors,
 * and every diagnostic either way.
 */
export declare class RuleSet {
  /**
   * Reads rule files: a `.vakt` file, or a folder of them. Problems in
   * the rules do not throw: see `check()`. Throws `LV0403` when the path
   * does not exist and a `TypeError` (`LV0410`) when it is no string.
   */
  static fromFile(path: string): RuleSet
  /**
   * Reads rules from text; `name` is the file name diagnostics give
   * (`rules.vakt` by default).
   */
  static fromString(text: string, options?: { name?: string }): RuleSet
  /**
   * Every error and warning the rules have, without throwing; `ok` is
   * false when one is an error.
   */
  check(): CheckResult
  /** The names of the rules, in file order. */
  get rules(): Array<string>
  /** The parameters the rule files declare, with their values. */
  get params(): Record<string, string | number | boolean | null>
  /**
   * Sets a parameter for later evaluations, as `--param NAME=VALUE`
   * does; throws `LV0218` for an unknown name or a value of the wrong
   * type.
   */
  setParam(name: string, value: string | number): void
  /**
   * Evaluates the rules over `events` on the calling thread: a path (or
   * an array of paths) to a file in any format the command line reads,
   * or an array or iterable of event objects, read a batch at a time.
   * Bad records are counted in the report (or throw with
   * `onError: "fail"`); an exception from the iterable is rethrown.
   */
  evaluate(events: string | string[] | Iterable<EventObject>, options?: EvaluateOptions): Report
  /**
   * As `evaluate`, but the work runs on another thread and the result is
   * a promise; `events` may also be an async iterable. Events are read
   * a batch at a time, each taken by the evaluation before the next is
   * read, so memory stays bounded however long the input.
   */
  evaluateAsync(events: string | string[] | Iterable<EventObject> | AsyncIterable<EventObject>, options?: EvaluateOptions): Promise<Report>
}

/** What `RuleSet.check()` found: every error and warning, file by file. */
export interface CheckResult {
  /** Whether the rules can be evaluated: no diagnostic is an error. */
  ok: boolean
  /** Every diagnostic, errors and warnings, in file and source order. */
  diagnostics: Array<Diagnostic>
}

/** One coded problem in a rule file, a context table or an option. */
export interface Diagnostic {
  /** The stable code, such as `LV0201` (see docs/errors.md). */
  code: string
  /** `"error"` or `"warning"`. */
  severity: 'error' | 'warning'
  /** One line saying what is wrong. */
  message: string
  /** The rule file it is in; empty when it is in no file. */
  file: string
  /** The line of the fault, from 1, when it has a place. */
  line?: number
  /** The column of the fault in characters, from 1, when it has a place. */
  column?: number
  /** What to do about it, when that is known. */
  help?: string
}

/** The version of the Loggvakt engine, written into every report. */
export declare const VERSION: string
