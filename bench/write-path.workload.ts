import { prng } from '../src/common/prng';
/**
 * The write-path workload: a fixed, seeded mix of realistic `reportIncident` inputs (every
 * category, common ones more often, customers who come back, amounts at rule boundaries),
 * each request with its own externalRef. Shared by the bench driver (requests) and the
 * ceiling server (which finds the template a request came from in its externalRef).
 */

/** What one template of the mix reports (source and externalRef are added per request). */
export interface ReportTemplate {
  weight: number;
  input: Record<string, unknown>;
}

export const SOURCE = 'erp';

/** Common complaints dominate; emergencies are rare but present. Weights are relative. */
export const TEMPLATES: ReportTemplate[] = [
  { weight: 14, input: { category: 'OVERCHARGE', amount: '20.00', channel: 'HOTLINE', description: '顾客反映收银多收20元' } },
  { weight: 6, input: { category: 'OVERCHARGE', amount: '1999.99', channel: 'STORE', description: '会员价未生效,多收款项' } },
  { weight: 10, input: { category: 'PAYMENT_FAULT', subtype: 'NO_ORDER_ISSUED', amount: '199.00', channel: 'APP', description: '扣款成功未出单' } },
  { weight: 4, input: { category: 'PAYMENT_FAULT', subtype: 'ORDER_CONFLICT', amount: '5000.01', channel: 'APP' } },
  { weight: 3, input: { category: 'PAYMENT_FAULT', subtype: 'PAYMENT_TIMEOUT', channel: 'WEB' } },
  { weight: 8, input: { category: 'PRODUCT_QUALITY', subtype: 'COSMETIC_DEFECT', amount: '59.90', channel: 'HOTLINE' } },
  { weight: 5, input: { category: 'PRODUCT_QUALITY', subtype: 'FUNCTION_FAILURE', amount: '2399.00', description: '开机无反应' } },
  { weight: 2, input: { category: 'PRODUCT_QUALITY', subtype: 'SERIOUS_DEFECT', amount: '8999.00', injured: false, escalating: true } },
  { weight: 8, input: { category: 'SERVICE', subtype: 'ATTITUDE', channel: 'STORE', description: '店员态度恶劣' } },
  { weight: 4, input: { category: 'SERVICE', subtype: 'SLOW_RESPONSE', channel: 'HOTLINE' } },
  { weight: 8, input: { category: 'LOGISTICS', subtype: 'DAMAGED', amount: '320.50', description: '包裹破损' } },
  { weight: 5, input: { category: 'LOGISTICS', subtype: 'DELAYED', channel: 'APP' } },
  { weight: 2, input: { category: 'LOGISTICS', subtype: 'LOST', amount: '6800.00' } },
  { weight: 5, input: { category: 'ORDER_ERROR', channel: 'WEB', description: '发错货' } },
  { weight: 4, input: { category: 'AGITATED_CUSTOMER', location: '一楼服务大厅', escalating: true } },
  { weight: 2, input: { category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: '5000.01', location: '仓库' } },
  { weight: 2, input: { category: 'PROPERTY_LOSS', subtype: 'LOST', propertyOwner: 'CUSTOMER', amount: '300.00' } },
  { weight: 2, input: { category: 'SYSTEM_FAILURE', subtype: 'NETWORK', outageMinutes: 10 } },
  { weight: 1, input: { category: 'SYSTEM_FAILURE', subtype: 'HOTLINE', outageMinutes: 45 } },
  { weight: 1, input: { category: 'PERSONAL_SAFETY', subtype: 'WORK_INJURY', injured: true, location: '二号仓' } },
  { weight: 1, input: { category: 'PERSONAL_SAFETY', subtype: 'ANIMAL_BITE', injured: true } },
  { weight: 1, input: { category: 'ONSITE_EMERGENCY', subtype: 'CUSTOMER_ILLNESS', location: '三楼' } },
  { weight: 1, input: { category: 'ONSITE_EMERGENCY', subtype: 'FIRE', location: '地下车库', mediaAttention: true } },
];

/** What clients ask back: the decision an ERP acts on. */
export const REPORT_MUTATION = `mutation Report($input: ReportIncidentInput!) {
  reportIncident(input: $input) {
    created
    incident {
      id severity ownerDepartment notifyDepartments policeReportRequired acknowledgeBy resolveBy
      actions { code dueAt }
      decision { ruleSetVersion }
    }
  }
}`;

/** The template index a request came from, as the ceiling reads it from the externalRef. */
export function templateOf(externalRef: string): number {
  const m = /-t(\d+)-/.exec(externalRef);
  return m ? Number(m[1]) : 0;
}

/**
 * Request bodies for one run: `next()` gives the next JSON body, with a unique externalRef
 * (`<run>-t<template>-<n>`), a customer drawn from a pool (80% of reports name one; some
 * come back, so the 30-day repeat fact varies) and an order number.
 */
export class WorkloadBuilder {
  private readonly random: () => number;
  private readonly cumulative: number[];
  private readonly total: number;
  private n = 0;

  constructor(
    private readonly run: string,
    seed = 7,
    private readonly customers = 3000,
  ) {
    this.random = prng(seed);
    let sum = 0;
    this.cumulative = TEMPLATES.map((t) => (sum += t.weight));
    this.total = sum;
  }

  get sent(): number {
    return this.n;
  }

  next(): string {
    const r = this.random() * this.total;
    let t = 0;
    while (this.cumulative[t] <= r) t++;
    const n = ++this.n;
    const input: Record<string, unknown> = { source: SOURCE, externalRef: `${this.run}-t${t}-${n}`, ...TEMPLATES[t].input, orderNo: `SO-${this.run}-${n}` };
    if (this.random() < 0.8) {
      const c = Math.floor(this.random() * this.customers);
      input.customer = { id: `C-${c}`, name: '张三', phone: `138${String(10000000 + c).slice(-8)}`, tier: c % 10 === 0 ? 'VIP' : 'REGULAR' };
    }
    return JSON.stringify({ query: REPORT_MUTATION, operationName: 'Report', variables: { input } });
  }
}
