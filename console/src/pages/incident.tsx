import { useState } from 'preact/hooks';
import { gql } from '../api';
import { graphql } from '../gql';
import type { IncidentPageQuery } from '../gql/graphql';
import { lang, t } from '../i18n';
import { countdown, ErrorBox, fmtTime, label, SEVERITY_ZH, STATUS_ZH, useAction, useLoad, useNow } from '../util';
import { RemediesBox } from './remedies';

const IncidentPageDoc = graphql(`
  query IncidentPage($id: ID!) {
    incident(id: $id) {
      id
      externalRef
      source
      category
      subtype
      severity
      status
      ownerDepartment
      notifyDepartments
      description
      amount
      injured
      legalThreat
      mediaAttention
      escalating
      outageMinutes
      propertyOwner
      amendedAt
      reportedAt
      acknowledgeBy
      resolveBy
      version
      clock {
        paused
        pausedAt
        pausedBy
        reason
        pauses
      }
      decision {
        severity
        ownerDepartment
        notifyDepartments
        policeReportRequired
        refundSteps
        ruleSetVersion
        decidedAt
        fallback
        remedies
        firedRules {
          name
          stage
          reasonZh
          reasonEn
        }
      }
      decisions {
        decidedAt
        ruleSetVersion
        severity
        ownerDepartment
        policeReportRequired
        firedRules {
          name
          reasonZh
          reasonEn
        }
      }
      remedies {
        ...RemedyFields
      }
      actions {
        code
        label
        dueAt
        done
        doneAt
        doneBy
        overdue
        status
        reason
        evidence
        note
      }
      refunds {
        id
        refundNo
        amount
        method
        status
        currentStep
        requestedAt
      }
      history {
        at
        actor
        kind
        fromStatus
        toStatus
        note
      }
    }
    catalog {
      refundMethodEntries {
        code
        label
      }
    }
  }
`);

const CompleteAction = graphql(`
  mutation ConsoleCompleteAction($incidentId: ID!, $code: String!, $evidence: JSON, $note: String) {
    completeAction(incidentId: $incidentId, code: $code, evidence: $evidence, note: $note) {
      id
      version
    }
  }
`);

const PauseClock = graphql(`
  mutation ConsolePauseClock($id: ID!, $reason: String!) {
    pauseIncidentClock(id: $id, reason: $reason) {
      id
      version
    }
  }
`);

const ResumeClock = graphql(`
  mutation ConsoleResumeClock($id: ID!) {
    resumeIncidentClock(id: $id) {
      id
      version
    }
  }
`);

const WaiveAction = graphql(`
  mutation ConsoleWaiveAction($incidentId: ID!, $code: String!, $reason: String!) {
    waiveAction(incidentId: $incidentId, code: $code, reason: $reason) {
      id
      version
    }
  }
`);

const AmendIncident = graphql(`
  mutation ConsoleAmendIncident($input: AmendIncidentInput!) {
    amendIncident(input: $input) {
      id
      version
      severity
    }
  }
`);

const RequestRefund = graphql(`
  mutation ConsoleRequestRefund($input: RequestRefundInput!) {
    requestRefund(input: $input) {
      id
      refundNo
    }
  }
`);

type Incident = NonNullable<IncidentPageQuery['incident']>;

export function IncidentPage({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => gql(IncidentPageDoc, { id }), [id]);
  const now = useNow();
  const i = data?.incident;
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p>{t('加载中…')}</p>;
  if (!i) return <p>404</p>;
  const d = i.decision;
  return (
    <section class="incident-page">
      <a href="#/">← {t('返回看板')}</a>
      <h2>
        {i.externalRef} <span class={`badge sev-${i.severity}`}>{label(SEVERITY_ZH, i.severity)}</span> <span class="badge">{label(STATUS_ZH, i.status)}</span>
      </h2>
      <p class="muted">
        {i.source} · {i.category}
        {i.subtype ? ` / ${i.subtype}` : ''} · {i.ownerDepartment} · {fmtTime(i.reportedAt)}
        {i.amount ? ` · ¥${i.amount}` : ''}
      </p>
      {i.description && <p>{i.description}</p>}
      <div class="grid2">
        <div class="card">
          <h3>{t('决定')}</h3>
          <dl>
            <dt>{t('规则版本')}</dt>
            <dd>
              {d.ruleSetVersion}
              {d.fallback ? ' (fallback)' : ''}
            </dd>
            <dt>{t('受理时限')}</dt>
            <dd>
              {fmtTime(i.acknowledgeBy)} <Countdown at={i.acknowledgeBy} now={now} paused={i.clock.paused} />
            </dd>
            <dt>{t('办结时限')}</dt>
            <dd>
              {fmtTime(i.resolveBy)} <Countdown at={i.resolveBy} now={now} paused={i.clock.paused} />
            </dd>
            <dt>Notify</dt>
            <dd>{d.notifyDepartments.join(', ') || t('无')}</dd>
            <dt>110</dt>
            <dd>{d.policeReportRequired ? '✔' : '—'}</dd>
            <dt>{t('退款')}</dt>
            <dd>{d.refundSteps.join(' → ') || t('无')}</dd>
          </dl>
          <h4>{t('触发的规则')}</h4>
          <ol class="rules" data-testid="fired-rules">
            {d.firedRules.map((r) => (
              <li>
                <code>{r.name}</code> <span class="muted">stage {r.stage}</span>
                <div>{(lang.get() === 'zh' ? (r.reasonZh ?? r.reasonEn) : (r.reasonEn ?? r.reasonZh)) ?? ''}</div>
              </li>
            ))}
          </ol>
        </div>
        <div class="card">
          <h3>{t('处置动作')}</h3>
          {i.actions.map((a) => (
            <ActionRow incidentId={i.id} a={a} now={now} paused={i.clock.paused} onDone={reload} />
          ))}
          <ClockBox i={i} onDone={reload} />
        </div>
      </div>
      <div class="grid2">
        <AmendBox i={i} onDone={reload} />
        <DecisionsBox i={i} />
      </div>
      <RemediesBox incidentId={i.id} allowed={d.remedies} remedies={i.remedies} now={now} onDone={reload} />
      <div class="grid2">
        <RefundsBox i={i} methods={data.catalog.refundMethodEntries} onDone={reload} />
        <div class="card">
          <h3>{t('历史')}</h3>
          <ul class="history">
            {i.history.map((h) => (
              <li>
                {fmtTime(h.at)} · {h.actor} · {h.kind}
                {h.toStatus ? ` → ${label(STATUS_ZH, h.toStatus)}` : ''}
                {h.note ? ` · ${h.note}` : ''}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}

function Countdown({ at, now, paused }: { at: string | null | undefined; now: number; paused: boolean }) {
  if (!at) return null;
  if (paused) return <span class="badge">{t('已暂停')}</span>;
  const c = countdown(at, now);
  return <span class={`countdown ${c.state}`}>{c.text}</span>;
}

function ActionRow({
  incidentId,
  a,
  now,
  paused,
  onDone,
}: {
  incidentId: string;
  a: Incident['actions'][number];
  now: number;
  paused: boolean;
  onDone: () => void;
}) {
  const [fields, setFields] = useState<Array<[string, string]>>([['', '']]);
  const [note, setNote] = useState('');
  const { error, submit } = useAction();
  const [open, setOpen] = useState<'' | 'complete' | 'waive'>('');
  const [reason, setReason] = useState('');
  if (a.status === 'WAIVED' || a.status === 'WITHDRAWN') {
    return (
      <div class="action waived" data-action={a.code} data-status={a.status}>
        — <b>{a.label ?? a.code}</b> <span class="badge">{t(a.status === 'WAIVED' ? '已免除' : '已撤销')}</span>{' '}
        <span class="muted">
          {fmtTime(a.doneAt)} · {a.doneBy ?? ''} · {a.reason}
        </span>
      </div>
    );
  }
  if (a.done) {
    return (
      <div class="action done" data-action={a.code}>
        ✔ <b>{a.label ?? a.code}</b>{' '}
        <span class="muted">
          {fmtTime(a.doneAt)} · {a.doneBy}
        </span>
        {a.evidence != null && <pre class="evidence">{JSON.stringify(a.evidence)}</pre>}
      </div>
    );
  }
  const complete = submit(async () => {
    const filled = fields.filter(([k]) => k.trim());
    const evidence = filled.length ? Object.fromEntries(filled.map(([k, v]) => [k.trim(), v])) : undefined;
    await gql(CompleteAction, { incidentId, code: a.code, evidence, note: note || undefined });
    onDone();
  });
  return (
    <div class={`action ${a.overdue ? 'overdue' : ''}`} data-action={a.code}>
      <div class="row">
        <b>{a.label ?? a.code}</b> <code class="muted">{a.code}</code>
        {a.overdue && <span class="badge breach">{t('逾期')}</span>}
        <Countdown at={a.dueAt} now={now} paused={paused} />
        <button onClick={() => setOpen(open === 'complete' ? '' : 'complete')}>{t('完成')}…</button>
        <button class="secondary" onClick={() => setOpen(open === 'waive' ? '' : 'waive')}>
          {t('免除')}…
        </button>
      </div>
      {open === 'waive' && (
        <form
          class="row"
          onSubmit={submit(async () => {
            await gql(WaiveAction, { incidentId, code: a.code, reason });
            onDone();
          })}
        >
          <input aria-label={t('免除原因')} placeholder={t('免除原因')} value={reason} onInput={(e) => setReason(e.currentTarget.value)} required />
          <button type="submit">{t('确认免除')}</button>
        </form>
      )}
      {open === 'waive' && <ErrorBox error={error} />}
      {open === 'complete' && (
        <form onSubmit={complete} class="evidence-form">
          <div class="muted">{t('证据')}</div>
          {fields.map(([k, v], n) => (
            <div class="row">
              <input
                aria-label="evidence key"
                placeholder="receiptNo"
                value={k}
                onInput={(e) => setFields(fields.map((f, m) => (m === n ? [e.currentTarget.value, f[1]] : f)))}
              />
              <input aria-label="evidence value" value={v} onInput={(e) => setFields(fields.map((f, m) => (m === n ? [f[0], e.currentTarget.value] : f)))} />
            </div>
          ))}
          <button type="button" class="link" onClick={() => setFields([...fields, ['', '']])}>
            + {t('添加证据项')}
          </button>
          <input aria-label={t('备注')} placeholder={t('备注')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <ErrorBox error={error} />
          <button type="submit">{t('提交')}</button>
        </form>
      )}
    </div>
  );
}

function ClockBox({ i, onDone }: { i: Incident; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const { error, submit } = useAction();
  const act = submit(async () => {
    if (i.clock.paused) await gql(ResumeClock, { id: i.id });
    else await gql(PauseClock, { id: i.id, reason });
    setReason('');
    onDone();
  });
  return (
    <form class="clock" onSubmit={act}>
      <h4>{t('计时')}</h4>
      {i.clock.paused ? (
        <p>
          {t('已暂停')} · {fmtTime(i.clock.pausedAt)} · {i.clock.pausedBy} · {i.clock.reason}
        </p>
      ) : (
        <input aria-label={t('暂停原因')} placeholder={t('暂停原因')} value={reason} onInput={(e) => setReason(e.currentTarget.value)} required />
      )}
      <ErrorBox error={error} />
      <button type="submit">{i.clock.paused ? t('恢复计时') : t('暂停计时')}</button>
    </form>
  );
}

function RefundsBox({ i, methods, onDone }: { i: Incident; methods: Array<{ code: string; label: string }>; onDone: () => void }) {
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState(methods[0]?.code ?? '');
  const { error, submit } = useAction();
  const request = submit(async () => {
    await gql(RequestRefund, { input: { incidentId: i.id, amount, method, idempotencyKey: crypto.randomUUID() } });
    setAmount('');
    onDone();
  });
  return (
    <div class="card">
      <h3>{t('退款')}</h3>
      <table>
        <tbody>
          {i.refunds.map((r) => (
            <tr>
              <td>{r.refundNo}</td>
              <td>¥{r.amount}</td>
              <td>{r.method}</td>
              <td>{label(STATUS_ZH, r.status)}</td>
              <td>{r.currentStep ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {i.decision.refundSteps.length > 0 && (
        <form class="row" onSubmit={request}>
          <input
            aria-label={t('金额')}
            placeholder={t('金额')}
            inputMode="decimal"
            pattern="\d+(\.\d{1,2})?"
            value={amount}
            onInput={(e) => setAmount(e.currentTarget.value)}
            required
          />
          <select aria-label={t('方式')} value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
            {methods.map((m) => (
              <option value={m.code}>{lang.get() === 'zh' ? m.label : m.code}</option>
            ))}
          </select>
          <button type="submit">{t('申请退款')}</button>
        </form>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

/** 事实更正: the facts the rules read, amended with a reason; the rules decide again (a new entry in 决定历史). */
function AmendBox({ i, onDone }: { i: Incident; onDone: () => void }) {
  const [amount, setAmount] = useState(i.amount ?? '');
  const [subtype, setSubtype] = useState(i.subtype ?? '');
  const [flags, setFlags] = useState({ injured: !!i.injured, legalThreat: !!i.legalThreat, mediaAttention: !!i.mediaAttention, escalating: !!i.escalating });
  const [note, setNote] = useState('');
  const { error, submit } = useAction();
  const [open, setOpen] = useState(false);
  const amend = submit(async () => {
    await gql(AmendIncident, {
      input: {
        id: i.id,
        expectedVersion: i.version,
        note,
        ...(amount !== (i.amount ?? '') ? { amount: amount || null } : {}),
        ...(subtype !== (i.subtype ?? '') ? { subtype: subtype || null } : {}),
        ...Object.fromEntries(Object.entries(flags).filter(([k, v]) => v !== !!i[k as keyof typeof flags])),
      },
    });
    setNote('');
    setOpen(false);
    onDone();
  });
  const FLAGS: Array<[keyof typeof flags, string]> = [
    ['injured', '有人受伤'],
    ['legalThreat', '扬言诉讼'],
    ['mediaAttention', '媒体关注'],
    ['escalating', '事态升级'],
  ];
  return (
    <div class="card" data-testid="amend">
      <h3>
        {t('更正事实')} {i.amendedAt && <span class="muted">({fmtTime(i.amendedAt)})</span>}{' '}
        <button class="link" onClick={() => setOpen(!open)}>
          {open ? '−' : '+'}
        </button>
      </h3>
      {open && (
        <form onSubmit={amend} class="amend-form">
          <label>
            {t('金额')}
            <input name="amount" inputMode="decimal" pattern="\d+(\.\d{1,2})?" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
          </label>
          <label>
            {t('子类')}
            <input name="subtype" value={subtype} onInput={(e) => setSubtype(e.currentTarget.value)} />
          </label>
          <div class="row">
            {FLAGS.map(([k, zh]) => (
              <label class="check">
                <input type="checkbox" name={k} checked={flags[k]} onChange={(e) => setFlags({ ...flags, [k]: e.currentTarget.checked })} />
                {t(zh)}
              </label>
            ))}
          </div>
          <label>
            {t('更正原因')}
            <input name="note" value={note} onInput={(e) => setNote(e.currentTarget.value)} required />
          </label>
          <ErrorBox error={error} />
          <button type="submit">{t('提交更正')}</button>
        </form>
      )}
    </div>
  );
}

/** 决定历史: every decision, at the report and after each amendment, with why its rules fired. */
function DecisionsBox({ i }: { i: Incident }) {
  const zh = lang.get() === 'zh';
  return (
    <div class="card" data-testid="decisions">
      <h3>{t('决定历史')}</h3>
      <ol class="history">
        {i.decisions.map((d) => (
          <li>
            {fmtTime(d.decidedAt)} · {d.ruleSetVersion} · {label(SEVERITY_ZH, d.severity)} · {d.ownerDepartment}
            {d.policeReportRequired ? ' · 110' : ''}
            <div class="muted">{d.firedRules.map((r) => (zh ? (r.reasonZh ?? r.name) : (r.reasonEn ?? r.name))).join('; ')}</div>
          </li>
        ))}
      </ol>
    </div>
  );
}
