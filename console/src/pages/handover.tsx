import { useState } from 'preact/hooks';
import { download, gql } from '../api';
import { graphql } from '../gql';
import type { Shift } from '../gql/graphql';
import { t } from '../i18n';
import { actorName, me } from '../me';
import { useSignal } from '../signal';
import { ErrorBox, fmtTime, useAction, useLoad } from '../util';

/** 工作交接单: what the shift leaves (open incidents, refunds, the tasks due) and the records handed over, to acknowledge. */
const HandoverData = graphql(`
  query ConsoleHandover($from: DateTime!, $to: DateTime!, $recordsFrom: DateTime!) {
    shiftHandover(from: $from, to: $to) {
      from
      to
      paidTotalAmount
      openIncidents {
        id
      }
      paid {
        id
      }
      submittedToFinance {
        id
      }
      returns {
        refundNo
        reason
        step
      }
      tasks {
        kind
        code
        label
        incidentId
        refundNo
        role
        dueAt
        overdue
      }
    }
    shiftHandoverRecords(from: $recordsFrom, to: $to) {
      id
      shift
      handedOverAt
      handedOverBy
      handedOverTo
      acknowledgeBy
      acknowledgedAt
      acknowledgeNote
      completedWork
      notes
      cleaningDone
      attendance {
        expected
        present
        late
        leftEarly
        absent
      }
    }
  }
`);

const HandOver = graphql(`
  mutation ConsoleHandOverShift($input: HandOverShiftInput!) {
    handOverShift(input: $input) {
      id
    }
  }
`);

const Acknowledge = graphql(`
  mutation ConsoleAcknowledgeHandover($id: ID!, $note: String) {
    acknowledgeShiftHandover(id: $id, note: $note) {
      id
      acknowledgedAt
    }
  }
`);

const SHIFT_ZH: Record<Shift, string> = { DAY: '早班', MIDDLE: '中班', NIGHT: '夜班' };

export function HandoverPage() {
  const m = useSignal(me);
  const [hours, setHours] = useState(8);
  const [at] = useState(() => Date.now());
  const to = new Date(at).toISOString();
  const from = new Date(at - hours * 3600_000).toISOString();
  const recordsFrom = new Date(at - 7 * 86400_000).toISOString();
  const { data, error, reload } = useLoad(() => gql(HandoverData, { from, to, recordsFrom }), [hours]);
  const h = data?.shiftHandover;
  return (
    <section class="handover">
      <div class="toolbar">
        <h2>{t('交接班')}</h2>
        <label class="inline">
          {t('本班时长（小时）')}
          <select value={hours} onChange={(e) => setHours(Number(e.currentTarget.value))}>
            {[8, 12, 24].map((n) => (
              <option value={n}>{n}</option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={error} />
      {h && (
        <div class="grid2">
          <div class="card" data-testid="handover-summary">
            <h3>
              {fmtTime(h.from)} – {fmtTime(h.to)}
            </h3>
            <dl>
              <dt>{t('未结事件')}</dt>
              <dd>{h.openIncidents.length}</dd>
              <dt>{t('已付款')}</dt>
              <dd>
                {h.paid.length} · ¥{h.paidTotalAmount}
              </dd>
              <dt>{t('提交财务')}</dt>
              <dd>{h.submittedToFinance.length}</dd>
              <dt>{t('财务退回')}</dt>
              <dd>{h.returns.map((r) => `${r.refundNo} ${r.reason ?? ''}`).join('; ') || t('无')}</dd>
            </dl>
            <h4>{t('待办事项')}</h4>
            <table class="tasks">
              <tbody>
                {h.tasks.slice(0, 50).map((k) => (
                  <tr class={k.overdue ? 'overdue' : ''}>
                    <td>{fmtTime(k.dueAt)}</td>
                    <td>{k.label ?? k.code}</td>
                    <td>{k.role ?? ''}</td>
                    <td>
                      <a href={`#/incidents/${encodeURIComponent(k.incidentId)}`}>{k.refundNo ?? `#${k.incidentId}`}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {h.tasks.length > 50 && <p class="muted">+{h.tasks.length - 50}</p>}
          </div>
          <HandOverForm from={h.from} to={h.to} onDone={reload} />
        </div>
      )}
      {data && (
        <div class="card">
          <h3>{t('交接记录')}</h3>
          {data.shiftHandoverRecords.length === 0 && <p class="muted">{t('无')}</p>}
          {[...data.shiftHandoverRecords].reverse().map((r) => (
            <Record r={r} mine={!!m && (r.handedOverTo === m.name || r.handedOverTo === actorName(m))} onDone={reload} />
          ))}
        </div>
      )}
    </section>
  );
}

function HandOverForm({ from, to, onDone }: { from: string; to: string; onDone: () => void }) {
  const [shift, setShift] = useState<Shift>('DAY');
  const [handedOverTo, setTo] = useState('');
  const [work, setWork] = useState('');
  const [notes, setNotes] = useState('');
  const [att, setAtt] = useState({ expected: 0, present: 0, late: 0, leftEarly: 0, absent: 0 });
  const [cleaningDone, setCleaning] = useState(true);
  const { error, submit } = useAction();
  const [done, setDone] = useState(false);
  const handOver = submit(async () => {
    await gql(HandOver, {
      input: {
        shift,
        from,
        to,
        handedOverTo: handedOverTo.trim(),
        completedWork: work
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
        notes: notes || undefined,
        attendance: att,
        cleaningDone,
      },
    });
    setDone(true);
    onDone();
  });
  const ATT: Array<[keyof typeof att, string]> = [
    ['expected', '应到'],
    ['present', '实到'],
    ['late', '迟到'],
    ['leftEarly', '早退'],
    ['absent', '旷工'],
  ];
  return (
    <form class="card handover-form" onSubmit={handOver}>
      <h3>{t('交班')}</h3>
      <div class="row">
        <select aria-label={t('班次')} name="shift" value={shift} onChange={(e) => setShift(e.currentTarget.value as Shift)}>
          {(Object.keys(SHIFT_ZH) as Shift[]).map((s) => (
            <option value={s}>{t(SHIFT_ZH[s])}</option>
          ))}
        </select>
        <input
          name="handedOverTo"
          aria-label={t('接班人')}
          placeholder={t('接班人')}
          value={handedOverTo}
          onInput={(e) => setTo(e.currentTarget.value)}
          required
        />
      </div>
      <div class="row attendance">
        {ATT.map(([k, zh]) => (
          <label class="inline">
            {t(zh)}
            <input type="number" min={0} name={k} value={att[k]} onInput={(e) => setAtt({ ...att, [k]: Number(e.currentTarget.value) })} style="width: 4.5em" />
          </label>
        ))}
      </div>
      <label class="check">
        <input type="checkbox" checked={cleaningDone} onChange={(e) => setCleaning(e.currentTarget.checked)} /> {t('卫生已打扫')}
      </label>
      <label>
        {t('完成工作明细（每行一项）')}
        <textarea name="completedWork" value={work} onInput={(e) => setWork(e.currentTarget.value)} />
      </label>
      <label>
        {t('需跟进事项')}
        <textarea name="notes" value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />
      </label>
      <ErrorBox error={error} />
      {done && <p class="ok">{t('已交班')}</p>}
      <button type="submit">{t('交班')}</button>
    </form>
  );
}

type HandoverRecord = {
  id: string;
  shift: Shift;
  handedOverAt: string;
  handedOverBy: string;
  handedOverTo: string;
  acknowledgeBy: string;
  acknowledgedAt?: string | null;
  acknowledgeNote?: string | null;
  completedWork: string[];
  notes?: string | null;
  attendance: { expected: number; present: number; late: number; leftEarly: number; absent: number };
};

function Record({ r, mine, onDone }: { r: HandoverRecord; mine: boolean; onDone: () => void }) {
  const [note, setNote] = useState('');
  const { error, setError, submit } = useAction();
  return (
    <div class="record" data-handover={r.id}>
      <div class="row">
        <b>{t(SHIFT_ZH[r.shift])}</b> {fmtTime(r.handedOverAt)} · {r.handedOverBy} → {r.handedOverTo}
        {r.acknowledgedAt ? (
          <span class="badge ok">
            {t('已接班')} {fmtTime(r.acknowledgedAt)}
          </span>
        ) : (
          <span class="badge warn">
            {t('待接班')} {fmtTime(r.acknowledgeBy)}
          </span>
        )}
      </div>
      <div class="muted">
        {t('应到')} {r.attendance.expected} · {t('实到')} {r.attendance.present} · {r.completedWork.join('; ')}
        {r.notes ? ` · ${r.notes}` : ''}{' '}
        <button class="link" onClick={() => download(`/reports/shift-handovers/${r.id}.xlsx`, `工作交接单-${r.id}.xlsx`).catch(setError)}>
          {t('下载 Excel')}
        </button>
      </div>
      {!r.acknowledgedAt && (
        <form
          class="row"
          onSubmit={submit(async () => {
            await gql(Acknowledge, { id: r.id, note: note || undefined });
            onDone();
          })}
        >
          <input aria-label={t('接班备注')} placeholder={t('接班备注')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <button type="submit" disabled={!mine} title={mine ? '' : t('只有接班人可以确认接班')}>
            {t('确认接班')}
          </button>
          {!mine && <span class="muted">{t('只有接班人可以确认接班')}</span>}
        </form>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
