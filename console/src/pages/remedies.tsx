import { useState } from 'preact/hooks';
import { gql } from '../api';
import { graphql } from '../gql';
import type { WorkRemediesQuery } from '../gql/graphql';
import { t } from '../i18n';
import { countdown, ErrorBox, fmtTime, label, useAction } from '../util';

/** 售后补救 (REPAIR 维修, REPLACE 更换, RETURN 退货, RESHIP 补发, COMPENSATE 赔偿): the kinds of the shipped pack, by their Chinese name. */
export const REMEDY_ZH: Record<string, string> = { REPAIR: '维修', REPLACE: '更换', RETURN: '退货', RESHIP: '补发', COMPENSATE: '赔偿' };

export const WorkRemedies = graphql(`
  query WorkRemedies($after: String) {
    incidents(first: 200, after: $after, filter: { status: [OPEN, ACKNOWLEDGED] }) {
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          externalRef
          remedies {
            ...RemedyFields
          }
        }
      }
    }
  }
`);

export const RemedyFields = graphql(`
  fragment RemedyFields on Remedy {
    id
    kind
    status
    currentStep
    version
    items
    orderNo
    startedAt
    startedBy
    cancelReason
    steps {
      step
      role
      status
      dueAt
      actor
      decidedAt
      note
      trackingNo
      needsTrackingNo
    }
  }
`);

const Advance = graphql(`
  mutation ConsoleAdvanceRemedy($input: AdvanceRemedyInput!) {
    advanceRemedy(input: $input) {
      id
      status
      currentStep
      version
    }
  }
`);

const Cancel = graphql(`
  mutation ConsoleCancelRemedy($remedyId: ID!, $reason: String!) {
    cancelRemedy(remedyId: $remedyId, reason: $reason) {
      id
      status
    }
  }
`);

const Start = graphql(`
  mutation ConsoleStartRemedy($input: StartRemedyInput!) {
    startRemedy(input: $input) {
      id
      status
    }
  }
`);

type RemedyNode = WorkRemediesQuery['incidents']['edges'][number]['node']['remedies'][number];
export type WorkRemedy = RemedyNode & { incident?: { id: string; externalRef: string } };

/** A remedy with its steps; the current one done here (运单号 when the step asks for it), or the remedy cancelled with a reason. */
export function RemedyCard({ r, now, onDone, showIncident = false }: { r: WorkRemedy; now: number; onDone: () => void; showIncident?: boolean }) {
  const [note, setNote] = useState('');
  const [trackingNo, setTrackingNo] = useState('');
  const { error, setError, run, submit } = useAction();
  const step = r.steps.find((s) => s.step === r.currentStep && s.status === 'PENDING');
  const c = countdown(step?.dueAt, now);
  /** The remedy moved: the note cleared, the page read again. */
  const moving = (f: () => Promise<unknown>) => async () => {
    await f();
    setNote('');
    onDone();
  };
  return (
    <div class="card step remedy" data-remedy={r.id} data-step={step?.step ?? ''}>
      <div class="row">
        <b>
          {label(REMEDY_ZH, r.kind)} #{r.id}
        </b>
        <span class="badge">{r.status}</span>
        {r.items && <span>{r.items}</span>}
        {r.orderNo && <span class="muted">{r.orderNo}</span>}
        {showIncident && r.incident && <a href={`#/incidents/${encodeURIComponent(r.incident.id)}`}>{r.incident.externalRef}</a>}
      </div>
      <ol class="chain">
        {r.steps.map((s) => (
          <li class={`st-${s.status}`}>
            {s.step}
            {s.role ? ` (${s.role})` : ''}
            {s.actor ? ` · ${s.actor}` : ''}
            {s.trackingNo ? ` · ${s.trackingNo}` : ''}
          </li>
        ))}
      </ol>
      {step && r.status === 'IN_PROGRESS' && (
        <form
          class="row"
          onSubmit={submit(
            moving(() =>
              gql(Advance, {
                input: { remedyId: r.id, step: step.step, expectedVersion: r.version, note: note || undefined, trackingNo: trackingNo || undefined },
              }),
            ),
          )}
        >
          <span>
            {t('当前步骤')}: <b>{step.step}</b> · {t('角色')}: {step.role} · {t('到期')}: {fmtTime(step.dueAt)}{' '}
            <span class={`countdown ${c.state}`}>{c.text}</span>
          </span>
          {step.needsTrackingNo && (
            <input aria-label={t('运单号')} placeholder={t('运单号')} value={trackingNo} onInput={(e) => setTrackingNo(e.currentTarget.value)} required />
          )}
          <input aria-label={t('备注')} placeholder={t('备注')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <button type="submit">{t('完成此步')}</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              if (!note.trim()) return setError(new Error(t('取消需要填写原因（备注）')));
              void run(moving(() => gql(Cancel, { remedyId: r.id, reason: note.trim() })));
            }}
          >
            {t('取消补救')}
          </button>
        </form>
      )}
      {r.status !== 'IN_PROGRESS' && r.cancelReason && <p class="muted">{r.cancelReason}</p>}
      <ErrorBox error={error} />
    </div>
  );
}

/** An incident's remedies, and a new one of a kind its decision allows. */
export function RemediesBox({
  incidentId,
  allowed,
  remedies,
  now,
  onDone,
}: {
  incidentId: string;
  allowed: string[];
  remedies: WorkRemedy[];
  now: number;
  onDone: () => void;
}) {
  const [kind, setKind] = useState(allowed[0] ?? '');
  const [items, setItems] = useState('');
  const { error, submit } = useAction();
  if (!allowed.length && !remedies.length) return null;
  const start = submit(async () => {
    await gql(Start, { input: { incidentId, kind: kind || allowed[0], items: items || undefined } });
    setItems('');
    onDone();
  });
  return (
    <div class="card" data-testid="remedies">
      <h3>{t('售后补救')}</h3>
      {remedies.map((r) => (
        <RemedyCard r={r} now={now} onDone={onDone} />
      ))}
      {allowed.length > 0 && (
        <form class="row" onSubmit={start}>
          <select aria-label={t('补救方式')} value={kind || allowed[0]} onChange={(e) => setKind(e.currentTarget.value)}>
            {allowed.map((k) => (
              <option value={k}>{label(REMEDY_ZH, k)}</option>
            ))}
          </select>
          <input aria-label={t('物品')} placeholder={t('物品')} value={items} onInput={(e) => setItems(e.currentTarget.value)} />
          <button type="submit">{t('开始补救')}</button>
        </form>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
