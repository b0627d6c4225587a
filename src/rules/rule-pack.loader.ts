/**
 * Loads a rule pack directory at boot or reload: `catalog.json` and every `policy/**.json`,
 * checked against the pack's JSON Schemas (`schema/`) and then for meaning. Synchronous on
 * purpose: it runs once per (re)load, never per request.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { BusinessCalendar } from '../calendar/business-calendar';
import { CalendarConfigError } from '../calendar/calendar-config';
import { checkCatalog, checkRuleFiles, PackFile } from './rule-pack.checks';
import { checkDrillScenarios } from './drill-scenario.checks';
import { RuleProblem, RulesInvalidError } from './rule-pack.errors';
import { BUILT_IN_LANGUAGE, conditionSchemaDefs, ConditionLanguage, CustomOperator } from './condition-language';
import { FACTS, FactRegistry } from './facts';
import type { Catalog, DrillScenario, RuleDefinition, RuleFile, RulePack } from './types';

export { RulesInvalidError } from './rule-pack.errors';
export type { RuleProblem } from './rule-pack.errors';

export const CATALOG_FILE = 'catalog.json';
export const POLICY_DIR = 'policy';
/** Drill scenarios (预案演练); optional: a pack without the directory has none. */
export const DRILLS_DIR = 'drills';
export const SCHEMA_DIR = 'schema';
export const SCHEMA_FILES = {
  catalog: 'catalog.schema.json',
  ruleFile: 'rule-file.schema.json',
  ruleTest: 'rule-test.schema.json',
  drillScenario: 'drill-scenario.schema.json',
} as const;

/** How a pack is read. */
export interface RulePackOptions {
  /**
   * Operators beyond json-rules-engine's built-ins, each declared with the facts and operand
   * shapes it accepts: the validator, the JSON Schema and both evaluators take them.
   */
  operators?: readonly CustomOperator[];
}

/**
 * Reads, validates and checks the pack in `dir`. Throws {@link RulesInvalidError} listing every
 * problem (bad JSON, schema violations, unknown codes, facts or operators, duplicate names…).
 */
export function loadRulePack(dir: string, options: RulePackOptions = {}): RulePack {
  const language = options.operators?.length ? new ConditionLanguage(options.operators) : BUILT_IN_LANGUAGE;
  const problems: RuleProblem[] = [];
  const drillFiles = fs.existsSync(path.join(dir, DRILLS_DIR)) ? listJsonFiles(dir, DRILLS_DIR, problems, false) : [];
  const validators = compileSchemas(dir, drillFiles.length ? ['catalog', 'ruleFile', 'drillScenario'] : ['catalog', 'ruleFile'], problems, language);

  const catalogRaw = readText(dir, CATALOG_FILE, problems);
  const policyFiles = listJsonFiles(dir, POLICY_DIR, problems);
  const files: Record<string, string> = {};
  if (catalogRaw !== null) files[CATALOG_FILE] = catalogRaw;
  for (const file of [...policyFiles, ...drillFiles]) {
    const raw = readText(dir, file, problems);
    if (raw !== null) files[file] = raw;
  }
  return packFromFiles(files, policyFiles, validators, language, problems);
}

/**
 * The pack made of these file contents (catalog.json, the rule files in `policyFiles`, and the
 * drill scenarios: every `drills/` file among them),
 * validated with `validators` and checked in `language`; `problems` found while reading them
 * are reported with the others. Throws {@link RulesInvalidError}.
 */
export function packFromFiles(
  files: Record<string, string>,
  policyFiles: string[],
  validators: { catalog: ValidateFunction | null; ruleFile: ValidateFunction | null; drillScenario?: ValidateFunction | null },
  language: ConditionLanguage = BUILT_IN_LANGUAGE,
  problems: RuleProblem[] = [],
): RulePack {
  const catalog = parseAndValidate(CATALOG_FILE, files[CATALOG_FILE], validators.catalog, problems);
  const ruleFiles: PackFile[] = [];
  for (const file of policyFiles) {
    const parsed = parseAndValidate(file, files[file], validators.ruleFile, problems);
    if (parsed) ruleFiles.push(parsed);
  }
  const drillFiles = Object.keys(files).filter((f) => f.startsWith(`${DRILLS_DIR}/`)).sort();
  const drillData: PackFile[] = [];
  for (const file of drillFiles) {
    const parsed = parseAndValidate(file, files[file], validators.drillScenario ?? null, problems);
    if (parsed) drillData.push(parsed);
  }
  // Without a readable catalog every code would be "unknown": report only the catalog then.
  const meaning = catalog ? [...checkCatalog(catalog), ...checkRuleFiles(catalog.data, ruleFiles, language), ...checkDrillScenarios(catalog.data as Catalog, drillData)] : [];
  if (catalog && problems.length + meaning.length === 0) meaning.push(...calendarProblems(catalog));
  if (problems.length + meaning.length > 0) {
    throw new RulesInvalidError(mergeProblems(problems, meaning, [CATALOG_FILE, ...policyFiles, ...drillFiles]));
  }

  const { $schema: _schema, ...catalogData } = catalog!.data as Catalog & { $schema?: string };
  const rules = ruleFiles.flatMap(({ file, data }) =>
    (data as RuleFile).rules.map((rule): RuleDefinition & { file: string } => ({ ...rule, file })));
  const checksum = checksumOf(files);
  const drills = drillData.map(({ file, data }): DrillScenario => {
    const { $schema: _s, ...scenario } = data as DrillScenario & { $schema?: string };
    return { ...scenario, file };
  });
  return { catalog: catalogData, rules, checksum, version: versionOf(catalogData.label, checksum), files, language, drills };
}

/** The business calendar itself accepts the catalog's calendar (a last guard: the checks cover it). */
function calendarProblems(catalog: PackFile): RuleProblem[] {
  try {
    new BusinessCalendar((catalog.data as Catalog).calendar);
    return [];
  } catch (e) {
    const problems = e instanceof CalendarConfigError ? e.problems : [(e as Error).message];
    return problems.map((message) => ({ file: catalog.file, pointer: '/calendar', message }));
  }
}

/** sha256 over the sorted relative paths and raw contents of the pack files. */
export function checksumOf(files: Record<string, string>): string {
  const hash = crypto.createHash('sha256');
  for (const file of Object.keys(files).sort()) hash.update(`${file}\0${files[file]}\0`);
  return hash.digest('hex');
}

/** `label@checksum[0..12]` with the label made slug-safe, or `checksum[0..12]` without a label. */
export function versionOf(label: string | undefined, checksum: string): string {
  const slug = (label ?? '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return slug ? `${slug}@${checksum.slice(0, 12)}` : checksum.slice(0, 12);
}

type SchemaName = keyof typeof SCHEMA_FILES;

/**
 * Compiles the pack's JSON Schemas; a missing or broken schema is a problem of the pack. The
 * rule-file schema's condition definitions are replaced by `language`'s, and the rule-test
 * schema's input by the facts of `facts` (the files hold the same for editors): the pack cannot
 * widen or narrow the language it is checked in, nor the facts its tests give.
 */
export function compileSchemas<K extends SchemaName>(
  dir: string,
  names: K[],
  problems: RuleProblem[],
  language: ConditionLanguage = BUILT_IN_LANGUAGE,
  facts: FactRegistry = FACTS,
): Record<K, ValidateFunction | null> {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
  addFormats(ajv);
  const out = {} as Record<K, ValidateFunction | null>;
  for (const name of names) {
    const file = `${SCHEMA_DIR}/${SCHEMA_FILES[name]}`;
    out[name] = null;
    const raw = readText(dir, file, problems);
    const parsed = raw === null ? null : parseJson(file, raw, problems);
    if (parsed === null) continue;
    const defs = (parsed as { $defs?: unknown }).$defs;
    if (name === 'ruleFile' && defs !== null && typeof defs === 'object') Object.assign(defs, conditionSchemaDefs(language));
    if (name === 'ruleTest' && defs !== null && typeof defs === 'object') Object.assign(defs, facts.testInputSchemaDefs());
    try {
      out[name] = ajv.compile(parsed as object);
    } catch (e) {
      problems.push({ file, pointer: '', message: `not a usable JSON Schema: ${(e as Error).message}` });
    }
  }
  return out;
}

/** Parses a file and validates it; returns it parsed (even when invalid) unless it is not JSON. */
export function parseAndValidate(file: string, raw: string | undefined, validate: ValidateFunction | null, problems: RuleProblem[]): PackFile | null {
  if (raw === undefined) return null;
  const data = parseJson(file, raw, problems);
  if (data === null) return null;
  if (validate && !validate(data)) problems.push(...schemaProblems(file, validate.errors ?? []));
  return { file, data };
}

function schemaProblems(file: string, errors: ErrorObject[]): RuleProblem[] {
  return errors
    // `if` only says which branch failed; the branch's own errors say why.
    .filter((e) => e.keyword !== 'if')
    .map((e) => {
      if (e.keyword === 'additionalProperties') {
        const prop = String((e.params as { additionalProperty: string }).additionalProperty);
        return { file, pointer: `${e.instancePath}/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `unknown property "${prop}"` };
      }
      const allowed = e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
      return { file, pointer: e.instancePath, message: `${e.message ?? e.keyword}${allowed}` };
    });
}

function parseJson(file: string, raw: string, problems: RuleProblem[]): unknown | null {
  try {
    return JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    let where = '';
    if (at) {
      const before = raw.slice(0, Number(at[1])).split('\n');
      where = ` (line ${before.length}, column ${before[before.length - 1].length + 1})`;
    }
    // What the parser says up to its quote of the text: the file's content is never echoed
    // (a draft named over the API could be any file the server can read).
    const reason = message.split('"')[0].replace(/ in JSON at position \d+.*$/s, '').replace(/[,\s]+$/, '');
    problems.push({ file, pointer: '', message: `not valid JSON${where}${reason ? `: ${reason}` : ''}` });
    return null;
  }
}

function readText(dir: string, file: string, problems: RuleProblem[]): string | null {
  try {
    return fs.readFileSync(path.join(dir, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // The errno code only: the driver's message names the absolute path.
    problems.push({ file, pointer: '', message: code === 'ENOENT' ? 'missing' : `cannot be read (${code ?? 'error'})` });
    return null;
  }
}

/** `*.json` under `sub`, recursively, as sorted pack-relative posix paths. */
function listJsonFiles(dir: string, sub: string, problems: RuleProblem[], required = true): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.json')) found.push(child);
    }
  };
  try {
    walk(sub);
  } catch (e) {
    problems.push({ file: `${sub}/`, pointer: '', message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
    return [];
  }
  if (found.length === 0 && required) problems.push({ file: `${sub}/`, pointer: '', message: 'holds no rule files (*.json)' });
  return found.sort();
}

/**
 * All problems grouped by file in pack order, then by pointer (numeric-aware). Where a meaning
 * check points at the same place as a schema error, only the meaning check's message is kept:
 * it names the allowed codes.
 */
export function mergeProblems(schemaLevel: RuleProblem[], meaning: RuleProblem[], fileOrder: string[]): RuleProblem[] {
  const key = (p: RuleProblem) => `${p.file}\0${p.pointer}`;
  const covered = new Set(meaning.map(key));
  const unique = new Map<string, RuleProblem>();
  for (const p of [...meaning, ...schemaLevel.filter((p) => !covered.has(key(p)))]) unique.set(`${key(p)}\0${p.message}`, p);
  const rank = (file: string) => fileOrder.indexOf(file);
  return [...unique.values()].sort((a, b) =>
    rank(a.file) - rank(b.file) || a.file.localeCompare(b.file) || a.pointer.localeCompare(b.pointer, 'en', { numeric: true }));
}
