/**
 * A `gator verify`-compatible suite runner (test.gatekeeper.sh/v1alpha1 Suite): for each test, its
 * template and constraint (paths relative to the suite file); for each case, an object (a bare
 * object or an AdmissionReview), optional `inventory` objects (namespaces for namespaceObject and
 * namespaceSelector) and assertions `{violations: yes|no|<N>, message?: <regex>}`. Templates with no
 * K8sNativeValidation code are skipped, those with an offline equivalent of their Rego too (the suite
 * tests the Rego, which this engine does not run).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { expandGlob, hasGlob } from './glob';
import { parseManifestText, readTextFile } from './manifests';
import { PolicySet } from './policy-set';
import type { Review, Violation } from './engine';
import { asObject as asObj, type Obj } from '../untyped';

export type CaseStatus = 'ok' | 'FAIL' | 'skip';

export interface CaseResult {
  readonly suite: string;
  readonly test: string;
  readonly case: string;
  readonly status: CaseStatus;
  /** Why it failed or was skipped. */
  readonly detail?: string;
}

/** Suite files named by the arguments: files, directories (every suite.yaml below) or glob patterns. */
export function expandSuiteArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (hasGlob(arg) && !fs.existsSync(arg)) {
      const found = expandGlob(arg);
      if (found.length === 0) throw new UserError(`${arg}: no suite files match this pattern`);
      out.push(...found);
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch {
      throw new UserError(`${arg}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      const found = expandGlob(path.join(arg, '**', 'suite.yaml'));
      if (found.length === 0) throw new UserError(`${arg}: no suite.yaml files under this directory`);
      out.push(...found);
    } else out.push(arg);
  }
  return [...new Set(out)];
}

function readSingleObject(file: string, what: string): Obj {
  const docs = parseManifestText(readTextFile(file), file);
  const obj = asObj(docs[0]);
  if (docs.length !== 1 || !obj) throw new UserError(`${file}: expected exactly one ${what} object (got ${docs.length} documents)`);
  return obj;
}

function readObjects(file: string): Obj[] {
  return parseManifestText(readTextFile(file), file).map((d, i) => asObj(d) ?? (() => {
    throw new UserError(`${file}: document ${i + 1} is not an object`);
  })());
}

/** A case's object as a review: AdmissionReviews are unwrapped (object, oldObject, operation, userInfo). */
export function reviewOf(obj: Obj): Review {
  if (obj.kind === 'AdmissionReview') {
    const req = asObj(obj.request) ?? {};
    return {
      object: asObj(req.object) ?? null,
      oldObject: asObj(req.oldObject) ?? null,
      operation: typeof req.operation === 'string' ? req.operation : 'CREATE',
      userInfo: asObj(req.userInfo),
    };
  }
  return { object: obj, operation: 'CREATE' };
}

/** Parses `violations: yes|no|<N>` (YAML 1.1 booleans, strings or integers). */
export function parseExpectation(v: unknown, where: string): 'yes' | 'no' | number {
  if (v === true || v === 'yes' || v === 'true') return 'yes';
  if (v === false || v === 'no' || v === 'false') return 'no';
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  throw new UserError(`${where}: violations must be yes, no or a count (got ${JSON.stringify(v)})`);
}

function messageMatches(pattern: string, message: string): boolean {
  if (message.includes(pattern)) return true;
  try {
    return new RegExp(pattern).test(message);
  } catch {
    return false;
  }
}

/** Checks one assertion against a case's violations; returns the failure reason or undefined. */
export function checkAssertion(assertion: Obj, violations: readonly Violation[], where: string): string | undefined {
  const expected = parseExpectation(assertion.violations ?? 'yes', where);
  const pattern = assertion.message;
  if (pattern !== undefined && typeof pattern !== 'string') throw new UserError(`${where}: assertion message must be a string`);
  const counted = pattern === undefined ? violations : violations.filter((v) => messageMatches(pattern, v.message));
  const n = counted.length;
  const ok = expected === 'yes' ? n > 0 : expected === 'no' ? n === 0 : n === expected;
  if (ok) return undefined;
  const want = expected === 'yes' ? 'at least one violation' : expected === 'no' ? 'no violations' : `${expected} violation(s)`;
  const about = pattern === undefined ? '' : ` matching ${JSON.stringify(pattern)}`;
  const got = violations.length === 0 ? 'none' : violations.map((v) => JSON.stringify(v.message)).join(', ');
  return `expected ${want}${about}, got ${n}${about} (violations: ${got})`;
}

/** Runs one suite file. Bad suites (missing files, bad YAML, not a Suite) are UserErrors. */
export function runSuite(suiteFile: string): CaseResult[] {
  const suite = readSingleObject(suiteFile, 'Suite');
  if (suite.kind !== 'Suite' || typeof suite.apiVersion !== 'string' || !suite.apiVersion.startsWith('test.gatekeeper.sh/')) {
    throw new UserError(`${suiteFile}: not a Gatekeeper Suite (expected apiVersion test.gatekeeper.sh/v1alpha1, kind Suite; got ${JSON.stringify(suite.apiVersion)} ${JSON.stringify(suite.kind)})`);
  }
  const dir = path.dirname(suiteFile);
  const tests = suite.tests ?? [];
  if (!Array.isArray(tests)) throw new UserError(`${suiteFile}: tests must be a list`);
  const results: CaseResult[] = [];
  tests.forEach((t: unknown, ti: number) => {
    const test = asObj(t);
    const testName = typeof test?.name === 'string' ? test.name : `tests[${ti}]`;
    const where = `${suiteFile}: test ${testName}`;
    if (!test || typeof test.template !== 'string' || typeof test.constraint !== 'string') throw new UserError(`${where}: needs template and constraint paths`);
    const cases = (test.cases ?? []) as unknown[];
    if (!Array.isArray(cases)) throw new UserError(`${where}: cases must be a list`);
    const caseName = (c: unknown, i: number): string => (typeof asObj(c)?.name === 'string' ? (asObj(c)?.name as string) : `cases[${i}]`);
    const all = (status: CaseStatus, detail: string): void => {
      cases.forEach((c, i) => results.push({ suite: suiteFile, test: testName, case: caseName(c, i), status, detail }));
    };
    if (test.skip === true) return all('skip', 'test marked skip');
    const template = readSingleObject(path.join(dir, test.template), 'ConstraintTemplate');
    const constraint = readSingleObject(path.join(dir, test.constraint), 'constraint');
    let policies: PolicySet;
    try {
      policies = new PolicySet([{ object: template, where: path.join(dir, test.template) }], [{ object: constraint, where: path.join(dir, test.constraint) }]);
    } catch (err) {
      if (err instanceof UserError && / does not compile: /.test(err.message)) return all('FAIL', err.message);
      throw err;
    }
    if (policies.skippedTemplates.length > 0) return all('skip', 'template has no K8sNativeValidation code');
    // Its Rego is what the suite tests; this engine runs none (`platform check` evaluates an offline equivalent).
    if (policies.equivalentTemplates.length > 0) return all('skip', 'Rego template: not run here (platform check evaluates its offline equivalent; run this suite with gator verify)');
    cases.forEach((c: unknown, ci: number) => {
      const tc = asObj(c);
      const name = caseName(c, ci);
      const cwhere = `${where} case ${name}`;
      if (!tc || typeof tc.object !== 'string') throw new UserError(`${cwhere}: needs an object path`);
      if (tc.skip === true) {
        results.push({ suite: suiteFile, test: testName, case: name, status: 'skip', detail: 'case marked skip' });
        return;
      }
      const review = reviewOf(readSingleObject(path.join(dir, tc.object), 'case'));
      const inventory = ((tc.inventory ?? []) as unknown[]).flatMap((p) => {
        if (typeof p !== 'string') throw new UserError(`${cwhere}: inventory entries must be file paths`);
        return readObjects(path.join(dir, p));
      });
      const subject = review.object ?? review.oldObject;
      const ns = asObj(subject?.metadata)?.namespace;
      const namespaceObject = inventory.find((o) => o.kind === 'Namespace' && asObj(o.metadata)?.name === ns) ?? null;
      const violations = policies.review({ ...review, namespaceObject });
      const assertions = (tc.assertions ?? []) as unknown[];
      if (!Array.isArray(assertions)) throw new UserError(`${cwhere}: assertions must be a list`);
      const failures = assertions.map((a, ai) => checkAssertion(asObj(a) ?? {}, violations, `${cwhere} assertions[${ai}]`)).filter((x): x is string => x !== undefined);
      results.push(failures.length === 0 ? { suite: suiteFile, test: testName, case: name, status: 'ok' } : { suite: suiteFile, test: testName, case: name, status: 'FAIL', detail: failures.join('; ') });
    });
  });
  return results;
}
