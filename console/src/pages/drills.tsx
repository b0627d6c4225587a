import { useState } from 'preact/hooks';
import { download, gql } from '../api';
import { graphql } from '../gql';
import { t } from '../i18n';
import { ErrorBox, fmtTime, label, useAction, useLoad } from '../util';

/** 预案演练: each procedure's compliance, the scenarios of the pack, the runs with their 演练总结. */
const DrillsData = graphql(`
  query ConsoleDrills {
    drillProcedures {
      procedure
      label
      drillEveryMonths
      lastDrilledAt
      dueBy
      overdue
    }
    drillScenarios {
      code
      label
      procedureLabel
      steps {
        id
      }
    }
    drillRuns(first: 30) {
      id
      scenario
      label
      status
      startsAt
      finishedAt
      scheduledBy
      steps {
        stepId
      }
    }
  }
`);

const Schedule = graphql(`
  mutation ConsoleScheduleDrill($scenario: String!, $startsAt: DateTime) {
    scheduleDrill(scenario: $scenario, startsAt: $startsAt) {
      id
      status
    }
  }
`);

const Abort = graphql(`
  mutation ConsoleAbortDrill($id: ID!, $note: String) {
    abortDrill(id: $id, note: $note) {
      id
      status
    }
  }
`);

const Report = graphql(`
  query ConsoleDrillReport($runId: ID!) {
    drillReport(runId: $runId) {
      onTime
      late
      missed
      pending
      onTimeRate
      signedAt
      signedBy
      improvements
      items {
        code
        label
        verdict
        dueAt
        doneAt
        doneBy
        minutesLate
      }
    }
  }
`);

const Sign = graphql(`
  mutation ConsoleSignDrillReport($runId: ID!, $improvements: String!) {
    signDrillReport(runId: $runId, improvements: $improvements) {
      signedAt
    }
  }
`);

const RUN_ZH: Record<string, string> = { SCHEDULED: '已计划', RUNNING: '进行中', COMPLETED: '已完成', ABORTED: '已中止' };
const VERDICT_ZH: Record<string, string> = { ON_TIME: '按时', LATE: '超时', MISSED: '未做', PENDING: '未到期', WAIVED: '免除' };

export function DrillsPage() {
  const { data, error, reload } = useLoad(() => gql(DrillsData), []);
  const [scenario, setScenario] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const { error: actionError, setError: setActionError, run: act, submit } = useAction();
  const [open, setOpen] = useState<string | null>(null);
  /** A drill changed: the page read again. */
  const changing = (f: () => Promise<unknown>) => async () => {
    await f();
    reload();
  };
  return (
    <section class="drills">
      <h2>{t('演练')}</h2>
      <ErrorBox error={error} />
      {data && (
        <>
          <div class="grid2">
            <div class="card">
              <h3>{t('演练合规')}</h3>
              <table data-testid="drill-procedures">
                <tbody>
                  {data.drillProcedures.map((p) => (
                    <tr class={p.overdue ? 'overdue' : ''}>
                      <td>{p.label}</td>
                      <td>
                        {t('每')} {p.drillEveryMonths} {t('个月')}
                      </td>
                      <td>
                        {t('上次')}: {fmtTime(p.lastDrilledAt)}
                      </td>
                      <td>
                        {t('到期')}: {fmtTime(p.dueBy)} {p.overdue && <span class="badge breach">{t('逾期')}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <form
              class="card"
              onSubmit={submit(
                changing(() =>
                  gql(Schedule, { scenario: scenario || data.drillScenarios[0]?.code, startsAt: startsAt ? new Date(startsAt).toISOString() : null }),
                ),
              )}
            >
              <h3>{t('安排演练')}</h3>
              <label>
                {t('演练脚本')}
                <select name="scenario" value={scenario} onChange={(e) => setScenario(e.currentTarget.value)}>
                  {data.drillScenarios.map((s) => (
                    <option value={s.code}>
                      {s.label} · {s.procedureLabel} ({s.steps.length})
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('开始时间（空：立即开始）')}
                <input type="datetime-local" name="startsAt" value={startsAt} onInput={(e) => setStartsAt(e.currentTarget.value)} />
              </label>
              <button type="submit" disabled={!data.drillScenarios.length}>
                {startsAt ? t('安排') : t('立即开始')}
              </button>
            </form>
          </div>
          <ErrorBox error={actionError} />
          <div class="card">
            <h3>{t('演练记录')}</h3>
            <table data-testid="drill-runs">
              <tbody>
                {data.drillRuns.map((r) => (
                  <>
                    <tr data-run={r.id}>
                      <td>#{r.id}</td>
                      <td>{r.label}</td>
                      <td>{label(RUN_ZH, r.status)}</td>
                      <td>{fmtTime(r.startsAt)}</td>
                      <td>{r.scheduledBy}</td>
                      <td class="row">
                        <button class="link" onClick={() => setOpen(open === r.id ? null : r.id)}>
                          {t('演练总结')}
                        </button>
                        <button class="link" onClick={() => download(`/reports/drills/${r.id}.xlsx`, `演练总结-${r.id}.xlsx`).catch(setActionError)}>
                          {t('下载 Excel')}
                        </button>
                        {(r.status === 'SCHEDULED' || r.status === 'RUNNING') && (
                          <button class="link" onClick={() => act(changing(() => gql(Abort, { id: r.id })))}>
                            {t('中止')}
                          </button>
                        )}
                      </td>
                    </tr>
                    {open === r.id && (
                      <tr>
                        <td colSpan={6}>
                          <DrillReport runId={r.id} />
                        </td>
                      </tr>
                    )}
                  </>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function DrillReport({ runId }: { runId: string }) {
  const { data, error, reload } = useLoad(() => gql(Report, { runId }), [runId]);
  const [improvements, setImprovements] = useState('');
  const { error: signError, submit } = useAction();
  const r = data?.drillReport;
  return (
    <div class="drill-report">
      <ErrorBox error={error ?? signError} />
      {r && (
        <>
          <p>
            {t('按时')} {r.onTime} · {t('超时')} {r.late} · {t('未做')} {r.missed} · {t('未到期')} {r.pending}
            {r.onTimeRate != null && ` · ${Math.round(r.onTimeRate * 100)}%`}
          </p>
          <table>
            <tbody>
              {r.items.map((i) => (
                <tr>
                  <td>{i.label}</td>
                  <td>{label(VERDICT_ZH, i.verdict)}</td>
                  <td>{fmtTime(i.dueAt)}</td>
                  <td>
                    {fmtTime(i.doneAt)} {i.doneBy ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.signedAt ? (
            <p>
              {t('已签署')}: {r.signedBy} {fmtTime(r.signedAt)} · {r.improvements}
            </p>
          ) : (
            <form
              class="row"
              onSubmit={submit(async () => {
                await gql(Sign, { runId, improvements });
                reload();
              })}
            >
              <input
                aria-label={t('改进措施')}
                placeholder={t('改进措施')}
                value={improvements}
                onInput={(e) => setImprovements(e.currentTarget.value)}
                required
              />
              <button type="submit">{t('签署演练总结')}</button>
            </form>
          )}
        </>
      )}
    </div>
  );
}
