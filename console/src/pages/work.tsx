import { useState } from 'preact/hooks';
import { gql, GraphQLRequestError } from '../api';
import { graphql } from '../gql';
import type { WorkRefundsQuery, WorkRemediesQuery } from '../gql/graphql';
import { t } from '../i18n';
import { actorName, me, Me } from '../me';
import { useSignal } from '../signal';
import { countdown, ErrorBox, fmtTime, useAction, useLoad, useNow } from '../util';
import { RemedyCard, WorkRemedies, type WorkRemedy } from './remedies';

const WorkRefunds = graphql(`
  query WorkRefunds($after: String) {
    refunds(first: 200, after: $after, filter: { status: [IN_APPROVAL] }) {
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          refundNo
          amount
          method
          category
          requestedBy
          requestedAt
          currentStep
          version
          incidentId
          steps {
            step
            label
            role
            status
            actor
            approval
            dueAt
            overdue
          }
        }
      }
    }
  }
`);

const Decide = graphql(`
  mutation ConsoleDecideRefundStep($input: DecideRefundStepInput!) {
    decideRefundStep(input: $input) {
      id
      status
      currentStep
      version
    }
  }
`);

type Refund = WorkRefundsQuery['refunds']['edges'][number]['node'];

async function loadWaiting(): Promise<Refund[]> {
  const all: Refund[] = [];
  let after: string | null | undefined = null;
  for (;;) {
    const data: WorkRefundsQuery = await gql(WorkRefunds, { after });
    all.push(...data.refunds.edges.map((e) => e.node));
    if (!data.refunds.pageInfo.hasNextPage) return all;
    after = data.refunds.pageInfo.endCursor;
  }
}

/** The signing rules the server applies to a refund step (the refund state machine). */
export const SIGNING_RULES_ZH = ['只有该步骤指定角色的人可以签批', '申请退款的人不能签批本退款的审批步骤', '同一人在一笔退款中最多签批一个审批步骤'];

/** The remedies of unresolved incidents (OPEN, ACKNOWLEDGED) still in progress, page after page. */
async function loadRemedies(): Promise<WorkRemedy[]> {
  const all: WorkRemedy[] = [];
  let after: string | null | undefined = null;
  for (;;) {
    const data: WorkRemediesQuery = await gql(WorkRemedies, { after });
    for (const e of data.incidents.edges) for (const r of e.node.remedies) if (r.status === 'IN_PROGRESS') all.push({ ...r, incident: e.node });
    if (!data.incidents.pageInfo.hasNextPage) return all;
    after = data.incidents.pageInfo.endCursor;
  }
}

export function MyWork() {
  const m = useSignal(me);
  const { data, error, reload } = useLoad(loadWaiting, []);
  const remedies = useLoad(loadRemedies, []);
  const now = useNow();
  const roles = m?.roles ?? [];
  const mine = (data ?? []).filter((r) => {
    const step = r.steps.find((s) => s.step === r.currentStep && s.status === 'PENDING');
    return step && (roles.includes(step.role) || roles.includes('ADMIN'));
  });
  const myRemedies = (remedies.data ?? []).filter((r) => {
    const step = r.steps.find((s) => s.step === r.currentStep);
    return step?.role && (roles.includes(step.role) || roles.includes('ADMIN'));
  });
  return (
    <section>
      <h2>{t('待我处理')}</h2>
      <details class="card rules-help">
        <summary>{t('签批规则')}</summary>
        <ul>
          {SIGNING_RULES_ZH.map((r) => (
            <li>{t(r)}</li>
          ))}
        </ul>
      </details>
      <h3>{t('退款')}</h3>
      <ErrorBox error={error} />
      {data && mine.length === 0 && <p>{t('没有等待处理的步骤。')}</p>}
      {mine.map((r) => (
        <StepCard r={r} me={m} now={now} onDone={reload} />
      ))}
      <h3>{t('售后补救')}</h3>
      <ErrorBox error={remedies.error} />
      {remedies.data && myRemedies.length === 0 && <p>{t('没有等待处理的步骤。')}</p>}
      {myRemedies.map((r) => (
        <RemedyCard r={r} now={now} onDone={remedies.reload} showIncident />
      ))}
    </section>
  );
}

function StepCard({ r, me, now, onDone }: { r: Refund; me: Me | null; now: number; onDone: () => void }) {
  const [comment, setComment] = useState('');
  const { error, run } = useAction();
  const step = r.steps.find((s) => s.step === r.currentStep)!;
  const c = countdown(step.dueAt, now);
  // What the console can tell before asking: the name the server writes for me against the refund's signers.
  const name = actorName(me);
  const signed = name ? r.steps.find((s) => s.approval && s.status === 'APPROVED' && s.actor === name) : undefined;
  const rule = step.approval && name ? (r.requestedBy === name ? 1 : signed ? 2 : null) : null;
  const blocked = rule === null ? null : t(SIGNING_RULES_ZH[rule]);
  const decide = (decision: 'APPROVE' | 'RETURN') =>
    run(async () => {
      await gql(Decide, { input: { refundId: r.id, step: step.step, decision, comment: comment || undefined, expectedVersion: r.version } });
      onDone();
    });
  const refusedRule = error instanceof GraphQLRequestError && error.code === 'FORBIDDEN';
  return (
    <div class="card step" data-refund={r.refundNo} data-step={step.step}>
      <div class="row">
        <b>{r.refundNo}</b> ¥{r.amount} · {r.method} · {r.category}
        <a href={`#/incidents/${encodeURIComponent(r.incidentId)}`}>{t('事件')}</a>
      </div>
      <div class="row muted">
        {t('当前步骤')}: <b>{step.label ?? step.step}</b> · {t('角色')}: {step.role} · {t('到期')}: {fmtTime(step.dueAt)}{' '}
        <span class={`countdown ${c.state}`}>{c.text}</span>
      </div>
      <ol class="chain">
        {r.steps.map((s) => (
          <li class={`st-${s.status}`}>
            {s.label ?? s.step}
            {s.actor ? ` · ${s.actor}` : ''}
          </li>
        ))}
      </ol>
      <textarea aria-label={t('意见')} placeholder={t('意见')} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      <div class="row">
        <button disabled={!!blocked} title={blocked || ''} onClick={() => decide('APPROVE')}>
          {t('同意')}
        </button>
        <button class="secondary" disabled={!!blocked} onClick={() => decide('RETURN')}>
          {t('退回')}
        </button>
        {blocked && <span class="muted">{blocked}</span>}
      </div>
      <ErrorBox error={error} />
      {refusedRule && (
        <p class="explain" data-testid="signing-rule">
          {t('签批规则')}: {SIGNING_RULES_ZH.map(t).join('; ')}
        </p>
      )}
    </div>
  );
}
