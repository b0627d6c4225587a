/**
 * The rule pack written out as a Markdown page (`triage rules doc`): the policy as the pack
 * decides it, in the pack's own words (each rule's 中文/English reason) and codes. docs/policy.md
 * is this page for the shipped pack, and a unit test keeps the two equal, so the documented
 * policy can never drift from the one in force. Pure: a RulePack in, a string out.
 */
import type { Catalog, Duration, RuleDefinition, RuleEvent, RulePack } from './types';

type Rule = RuleDefinition & { file: string };

const OPERATORS: Record<string, string> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: 'in',
  notIn: 'not in',
  contains: 'contains',
  doesNotContain: 'does not contain',
};

/** A due time in words: "immediately", "10 minutes", "3 working days", "after resolution + 2 working days". */
export function durationText(d: Duration | undefined): string {
  if (!d) return '–';
  const parts: string[] = [];
  const record = d as Record<string, unknown>;
  if (record.immediate) parts.push('immediately');
  if (record.afterResolution) parts.push('after resolution');
  const units: Array<[string, string]> = [
    ['minutes', 'minute'],
    ['hours', 'hour'],
    ['workingHours', 'working hour'],
    ['workingDays', 'working day'],
  ];
  for (const [key, unit] of units) {
    const n = record[key];
    if (typeof n === 'number') parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  }
  return parts.length ? parts.join(' + ') : JSON.stringify(d);
}

function valueText(v: unknown): string {
  if (Array.isArray(v)) return v.map(valueText).join(', ');
  if (v && typeof v === 'object' && 'fact' in v) return String((v as { fact: unknown }).fact);
  return String(v);
}

/** A condition tree as one line: `category = FIRE and (amount > 5000 or injured = true)`. */
export function conditionText(node: unknown, top = true): string {
  if (!node || typeof node !== 'object') return String(node);
  const n = node as Record<string, unknown>;
  const join = (items: unknown, word: string) => {
    const list = (items as unknown[]).map((c) => conditionText(c, false));
    const text = list.join(` ${word} `);
    return top || list.length < 2 ? text : `(${text})`;
  };
  if (Array.isArray(n.all)) return n.all.length ? join(n.all, 'and') : 'always';
  if (Array.isArray(n.any)) return join(n.any, 'or');
  if (n.not) return `not ${conditionText(n.not, false)}`;
  if (typeof n.condition === 'string') return `condition ${n.condition}`;
  const fact = `${n.fact}${typeof n.path === 'string' ? n.path.replace(/^\$/, '') : ''}`;
  const op = OPERATORS[String(n.operator)] ?? String(n.operator);
  const value = Array.isArray(n.value) ? `[${valueText(n.value)}]` : valueText(n.value);
  return `${fact} ${op} ${value}`;
}

/** What a rule's event does, in words. */
export function eventText(e: RuleEvent): string {
  const p = e.params as Record<string, unknown>;
  switch (e.type) {
    case 'severity':
      return `severity at least ${p.level}`;
    case 'escalate':
      return `escalate ${p.levels} level${p.levels === 1 ? '' : 's'}`;
    case 'owner':
      return `owner ${p.department}${p.rank !== undefined ? ` (rank ${p.rank})` : ''}`;
    case 'notify':
      return `notify ${(p.departments as string[]).join(', ')}`;
    case 'action':
      return `action ${p.code}${p.due ? ` due ${durationText(p.due as Duration)}` : ''}`;
    case 'refundChain':
      return `refund chain ${(p.steps as string[]).join(' → ')}${p.rank !== undefined ? ` (rank ${p.rank})` : ''}`;
    case 'remedies':
      return `remedies ${(p.kinds as string[]).join(', ')} (preferred first)${p.rank !== undefined ? ` (rank ${p.rank})` : ''}`;
    case 'insertRefundStep':
      return `insert refund step ${p.step} after ${p.after}`;
    default:
      return `${(e as { type: string }).type} ${JSON.stringify(p)}`;
  }
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');

function catalogSections(c: Catalog): string[] {
  const out: string[] = [];
  out.push('## Categories and subtypes');
  out.push(
    table(
      ['category', '中文', 'subtypes'],
      Object.entries(c.categories).map(([code, cat]) => [
        `\`${code}\``,
        cat.label,
        Object.entries(cat.subtypes)
          .map(([s, l]) => `\`${s}\` ${l}`)
          .join(', ') || '–',
      ]),
    ),
  );
  out.push('## Departments and escalation levels');
  out.push(table(['code', '中文'], Object.entries(c.departments).map(([k, v]) => [`\`${k}\``, v])));
  out.push(`When no rule names an owner, the owner is \`${c.defaultOwner}\`.`);
  out.push('## Roles');
  out.push(table(['role', '中文'], Object.entries(c.roles).map(([k, v]) => [`\`${k}\``, v])));
  return out;
}

function deadlineSections(c: Catalog): string[] {
  const out: string[] = [];
  out.push('## Required actions');
  out.push(
    [
      `Due times count from the report (or, for an action counted from the resolution, from when the incident is RESOLVED).`,
      `"Immediately" is ${durationText(c.immediately ?? { minutes: 5 })} after the report. An action is settled when it is done,`,
      'waived (CS_LEAD, ADMIN, with a reason) or withdrawn by an amendment; the work named under "settled by" settles it in',
      "the same transaction as that work. RESOLVED needs every action settled but those counted from the resolution; CLOSED needs all.",
    ].join(' '),
  );
  out.push(
    table(
      ['action', '中文', 'due', 'settled by', 'evidence'],
      Object.entries(c.actions).map(([code, a]) => {
        const evidence = (a.evidence ?? []).map((f) => `\`${f.key}\` ${f.label}${f.type === 'date' ? ' (date)' : ''}`);
        if (a.retainDays) evidence.push(`kept ${a.retainDays} days after it occurred`);
        const due = `${durationText(a.due)}${a.dueFrom ? ` after ${a.dueFrom}` : ''}`;
        return [`\`${code}\``, a.label, due, a.settledBy ? `\`${a.settledBy}\`` : '–', evidence.join('; ') || '–'];
      }),
    ),
  );
  out.push('## Incident deadlines');
  out.push(
    table(
      ['severity', 'acknowledge within', 'resolve within'],
      Object.entries(c.deadlines).map(([sev, d]) => [`\`${sev}\``, durationText(d.acknowledge), durationText(d.resolve)]),
    ),
  );
  const esc = c.escalation;
  if (esc) {
    out.push('## Warnings and escalation');
    out.push(`A warning goes out when ${Math.round((esc.warnAt ?? 0.8) * 100)}% of a deadline has passed; a breach then climbs this ladder:`);
    out.push(table(['level', 'after'], (esc.ladder ?? []).map((r) => [`\`${r.department}\``, durationText(r.after)])));
  }
  out.push('## Refund steps (退款执行流程)');
  out.push(
    table(
      ['step', '中文', 'role', 'approval', 'may return', 'due'],
      Object.entries(c.refundSteps).map(([code, s]) => [
        `\`${code}\``,
        s.label,
        `\`${s.role}\``,
        s.approval ? 'yes' : 'no',
        s.canReturn ? 'yes' : 'no',
        `${durationText(s.due)}${s.dueFrom ? ` from ${s.dueFrom}` : ''}`,
      ]),
    ),
  );
  if (c.fallback) {
    const f = c.fallback;
    out.push('## When the rules fail');
    out.push(
      `A report the rules cannot decide (an error in the pack) is stored all the same with this fallback decision, marked \`fallback\`: ` +
        `severity \`${f.severity}\`, owner \`${f.ownerDepartment}\`, notify ${f.notifyDepartments.map((d) => `\`${d}\``).join(', ') || 'nobody'}, ` +
        `actions ${f.actions.map((a) => `\`${a}\``).join(', ') || 'none'}.`,
    );
  }
  if (c.shiftHandover?.acknowledgeWithin) {
    out.push('## Shift handover');
    out.push(`A handover not acknowledged within ${durationText(c.shiftHandover.acknowledgeWithin)} warns the CS_LEAD on duty.`);
  }
  if (c.remedyKinds && Object.keys(c.remedyKinds).length) {
    out.push('## After-sales remedies (货物售后)');
    out.push('Each step is due counted from when the step before it was done (the first: from the start).');
    out.push(
      table(
        ['remedy', '中文', 'steps (role, due)'],
        Object.entries(c.remedyKinds).map(([code, k]) => [
          `\`${code}\``,
          k.label,
          k.steps.map((st) => `\`${st.code}\` ${st.label} (\`${st.role}\`, ${durationText(st.due)}${st.trackingNo ? ', tracking number' : ''})`).join(' → '),
        ]),
      ),
    );
  }
  out.push(`When no rule decides a chain: ${c.defaultRefundChain.map((s) => `\`${s}\``).join(' → ')}.`);
  out.push('Refund methods: ' + Object.entries(c.refundMethods).map(([k, v]) => `\`${k}\` ${v}`).join(', ') + '.');
  const cal = c.calendar;
  const holidays = [...cal.holidays].sort();
  out.push('## Business calendar');
  out.push(
    [
      `Time zone ${cal.timeZone}, working hours ${cal.workingHours.start}–${cal.workingHours.end},`,
      `weekend days ${cal.weekend.join(', ')} (ISO weekday numbers).`,
      `${holidays.length} holidays${holidays.length ? ` from ${holidays[0]} to ${holidays[holidays.length - 1]}` : ''},`,
      `${cal.workdays.length} adjusted working weekend days (调休).`,
      cal.holidaysKnownUntil ? `The holidays are known until ${cal.holidaysKnownUntil}; a due time counted past it says so.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
  return out;
}

function ruleSections(rules: Rule[], descriptions: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  const byFile = new Map<string, Rule[]>();
  for (const r of rules) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  for (const [file, list] of byFile) {
    out.push(`## Rules in \`${file}\``);
    if (descriptions[file]) out.push(descriptions[file] as string);
    out.push(
      table(
        ['stage', 'rule', 'when', 'then', '理由 / reason'],
        list.map((r) => [
          String(r.stage),
          `\`${r.name}\``,
          conditionText(r.conditions),
          eventText(r.event),
          [r.reason?.zh, r.reason?.en].filter(Boolean).join(' / ') || '–',
        ]),
      ),
    );
  }
  return out;
}

/** The whole page for a loaded pack. */
export function renderPolicyDoc(pack: RulePack): string {
  const descriptions: Record<string, string | undefined> = {};
  for (const [file, raw] of Object.entries(pack.files)) {
    if (!file.endsWith('.json') || file === 'catalog.json') continue;
    try {
      descriptions[file] = (JSON.parse(raw) as { description?: string }).description;
    } catch {
      descriptions[file] = undefined;
    }
  }
  const head = [
    `# The default policy (客服应急预案)`,
    [
      `What the shipped rule pack (\`rules/\`, version \`${pack.version}\`) decides, written out from the pack itself`,
      'by `triage rules doc rules > docs/policy.md` (a test keeps this page equal to the pack: edit the pack, then',
      'regenerate). Severity is the highest level any fired rule sets, then raised by escalation rules, capped at',
      'CRITICAL; the owner is the highest-ranked owner rule; everyone notified is told except the owner; each',
      'required action is due as the catalog says unless a rule gives an earlier time. Rules run in stages: a',
      'later stage may read the `severity` and `ownerDepartment` the earlier stages decided.',
    ].join('\n'),
    [
      'The pack encodes five operating procedures: 多收顾客钱款应急预案 (overcharge), 货物售后应急预案',
      '(after-sales goods), 客诉应急预案 (complaints), 客服部突发事件应急处理预案 (service-hall emergencies) and',
      '客户退款执行流程 (refund execution). Amounts are yuan; "over 5000" (超5000元) is strict: 5000.00 is not over.',
    ].join('\n'),
  ];
  return [...head, ...catalogSections(pack.catalog), ...ruleSections(pack.rules, descriptions), ...deadlineSections(pack.catalog)].join('\n\n') + '\n';
}
