/**
 * What a drill scenario must mean beyond its JSON Schema: a procedure of the catalog, codes the
 * catalog knows, unique step ids, steps in time order, and each amendment naming an earlier
 * report step. Pure: the loader reports what it returns with the pack's other problems.
 */
import type { RuleProblem } from './rule-pack.errors';
import type { Catalog } from './types';

interface StepLike { id?: unknown; offsetMinutes?: unknown; report?: Record<string, unknown>; amend?: Record<string, unknown> }

export function checkDrillScenarios(catalog: Catalog, files: Array<{ file: string; data: unknown }>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const codes = new Map<string, string>();
  const procedures = catalog.drillProcedures ?? {};
  for (const { file, data } of files) {
    const s = data as { code?: unknown; procedure?: unknown; steps?: unknown };
    const at = (pointer: string, message: string) => problems.push({ file, pointer, message });
    if (typeof s.code === 'string') {
      const other = codes.get(s.code);
      if (other) at('/code', `scenario ${s.code} is also defined in ${other}`);
      else codes.set(s.code, file);
    }
    if (typeof s.procedure === 'string' && !procedures[s.procedure]) {
      at('/procedure', `unknown procedure ${s.procedure}; the catalog's drillProcedures are: ${Object.keys(procedures).join(', ') || '(none)'}`);
    }
    if (!Array.isArray(s.steps)) continue;
    const seen = new Map<string, 'report' | 'amend'>();
    let last = 0;
    (s.steps as StepLike[]).forEach((step, i) => {
      const p = `/steps/${i}`;
      if (typeof step.id === 'string') {
        if (seen.has(step.id)) at(`${p}/id`, `step id ${step.id} is used twice`);
      }
      if (typeof step.offsetMinutes === 'number') {
        if (step.offsetMinutes < last) at(`${p}/offsetMinutes`, `steps must be in time order: ${step.offsetMinutes} comes after ${last}`);
        last = Math.max(last, step.offsetMinutes);
      }
      if (step.report && typeof step.report === 'object') {
        const category = step.report.category;
        const subtype = step.report.subtype;
        const cat = typeof category === 'string' ? catalog.categories[category] : undefined;
        if (typeof category === 'string' && !cat) at(`${p}/report/category`, `unknown category ${category}`);
        if (cat && typeof subtype === 'string' && !(subtype in cat.subtypes)) at(`${p}/report/subtype`, `unknown subtype ${subtype} of ${category as string}`);
        checkOwner(catalog, step.report.propertyOwner, `${p}/report/propertyOwner`, at);
      }
      if (step.amend && typeof step.amend === 'object') {
        const target = step.amend.step;
        if (typeof target === 'string' && seen.get(target) !== 'report') {
          at(`${p}/amend/step`, `amends ${target}, which is not an earlier report step`);
        }
        checkOwner(catalog, step.amend.propertyOwner, `${p}/amend/propertyOwner`, at);
      }
      if (typeof step.id === 'string' && !seen.has(step.id)) seen.set(step.id, step.report ? 'report' : 'amend');
    });
  }
  for (const [code, p] of Object.entries(catalog.drillProcedures ?? {})) {
    if (p.drillEvery && p.drillEvery.months < 1) problems.push({ file: 'catalog.json', pointer: `/drillProcedures/${code}/drillEvery/months`, message: 'must be 1 or more' });
  }
  return problems;
}

function checkOwner(catalog: Catalog, owner: unknown, pointer: string, at: (p: string, m: string) => void): void {
  const allowed = catalog.factValues?.propertyOwner;
  if (typeof owner === 'string' && allowed && !allowed.includes(owner)) at(pointer, `unknown propertyOwner ${owner}: ${allowed.join(', ')}`);
}
