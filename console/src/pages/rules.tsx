import { useState } from 'preact/hooks';
import { gql } from '../api';
import { graphql } from '../gql';
import type { RuleBacktestQuery } from '../gql/graphql';
import { t } from '../i18n';
import { ErrorBox, fmtTime, useAction, useLoad } from '../util';

const RulesOverview = graphql(`
  query RulesOverview {
    activeRuleSet {
      version
      label
      checksum
      ruleCount
      loadedAt
      instance
    }
    ruleSetVersions(first: 20) {
      version
      label
      ruleCount
      loadedAt
      loadedBy
      changes {
        added
        changed
        removed
        catalogChanged
      }
    }
    shadowRules {
      version
    }
    shadowDivergences(first: 50) {
      totalCount
      edges {
        node {
          id
          incidentId
          detectedAt
          liveVersion
          shadowVersion
          fields
          before {
            severity
            ownerDepartment
          }
          after {
            severity
            ownerDepartment
          }
        }
      }
    }
  }
`);

const Backtest = graphql(`
  query RuleBacktest($draftDir: String!, $from: DateTime, $to: DateTime) {
    simulateRules(draftDir: $draftDir, from: $from, to: $to, samples: 20) {
      draftVersion
      elapsedMs
      counts {
        total
        changed
        severity
        owner
        notify
        police
        policeNowRequired
        policeNoLongerRequired
        actions
        refundChain
      }
      byCategory {
        category
        counts {
          total
          changed
          severity
          owner
          actions
        }
      }
      samples {
        incidentId
        externalRef
        category
        changed
        before {
          severity
          ownerDepartment
          actions
        }
        after {
          severity
          ownerDepartment
          actions
        }
      }
    }
  }
`);

const FIELDS = ['severity', 'owner', 'notify', 'police', 'policeNowRequired', 'policeNoLongerRequired', 'actions', 'refundChain'] as const;

export function RulesPage() {
  const { data, error } = useLoad(() => gql(RulesOverview), []);
  const [dir, setDir] = useState('');
  const [result, setResult] = useState<RuleBacktestQuery['simulateRules'] | null>(null);
  const { error: btError, submit } = useAction();
  const [running, setRunning] = useState(false);
  const run = submit(async () => {
    setRunning(true);
    try {
      setResult((await gql(Backtest, { draftDir: dir })).simulateRules);
    } catch (err) {
      setResult(null);
      throw err;
    } finally {
      setRunning(false);
    }
  });
  return (
    <section>
      <h2>{t('规则')}</h2>
      <ErrorBox error={error} />
      {data && (
        <div class="grid2">
          <div class="card">
            <h3>{t('当前规则包')}</h3>
            <dl>
              <dt>{t('规则版本')}</dt>
              <dd data-testid="active-version">{data.activeRuleSet.version}</dd>
              <dt>{t('规则数')}</dt>
              <dd>{data.activeRuleSet.ruleCount}</dd>
              <dt>{t('加载时间')}</dt>
              <dd>{fmtTime(data.activeRuleSet.loadedAt)}</dd>
              <dt>checksum</dt>
              <dd>
                <code>{data.activeRuleSet.checksum.slice(0, 16)}</code> · {data.activeRuleSet.instance}
              </dd>
              <dt>shadow</dt>
              <dd>{data.shadowRules?.version ?? t('无')}</dd>
            </dl>
          </div>
          <div class="card">
            <h3>{t('版本历史')}</h3>
            <table>
              <thead>
                <tr>
                  <th>{t('规则版本')}</th>
                  <th>{t('加载时间')}</th>
                  <th>{t('加载人')}</th>
                  <th>{t('新增')}</th>
                  <th>{t('修改')}</th>
                  <th>{t('删除')}</th>
                </tr>
              </thead>
              <tbody>
                {data.ruleSetVersions.map((v) => (
                  <tr>
                    <td>{v.version}</td>
                    <td>{fmtTime(v.loadedAt)}</td>
                    <td>{v.loadedBy}</td>
                    <td title={v.changes.added.join(', ')}>{v.changes.added.length}</td>
                    <td title={v.changes.changed.join(', ')}>{v.changes.changed.length}</td>
                    <td title={v.changes.removed.join(', ')}>{v.changes.removed.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      <div class="card">
        <h3>{t('回测草稿目录')}</h3>
        <form class="toolbar" onSubmit={run}>
          <input name="draftDir" aria-label={t('草稿目录')} placeholder={t('草稿目录')} value={dir} onInput={(e) => setDir(e.currentTarget.value)} required />
          <button type="submit" disabled={running}>
            {t('运行回测')}
          </button>
        </form>
        <ErrorBox error={btError} />
        {result && (
          <div data-testid="backtest">
            <p>
              {result.draftVersion}: {result.counts.changed} / {result.counts.total} {t('变化')} · {result.elapsedMs} ms
            </p>
            <table class="changes">
              <thead>
                <tr>
                  <th>{t('类别')}</th>
                  <th>{t('总数')}</th>
                  <th>{t('变化数')}</th>
                  {FIELDS.map((f) => (
                    <th>{f}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>{t('合计')}</td>
                  <td>{result.counts.total}</td>
                  <td>{result.counts.changed}</td>
                  {FIELDS.map((f) => (
                    <td>{result.counts[f]}</td>
                  ))}
                </tr>
                {result.byCategory.map((c) => (
                  <tr>
                    <td>{c.category}</td>
                    <td>{c.counts.total}</td>
                    <td>{c.counts.changed}</td>
                    <td>{c.counts.severity}</td>
                    <td>{c.counts.owner}</td>
                    <td colSpan={4} />
                    <td>{c.counts.actions}</td>
                    <td />
                  </tr>
                ))}
              </tbody>
            </table>
            <h4>{t('样本事件')}</h4>
            <table>
              <tbody>
                {result.samples.map((s) => (
                  <tr>
                    <td>
                      <a href={`#/incidents/${encodeURIComponent(s.incidentId)}`}>{s.externalRef}</a>
                    </td>
                    <td>{s.category}</td>
                    <td>{s.changed.join(', ')}</td>
                    <td>
                      {s.before.severity} → {s.after.severity}
                    </td>
                    <td>
                      {s.before.ownerDepartment} → {s.after.ownerDepartment}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {data && (
        <div class="card">
          <h3>
            {t('影子分歧')} ({data.shadowDivergences.totalCount})
          </h3>
          <table>
            <tbody>
              {data.shadowDivergences.edges.map(({ node: d }) => (
                <tr>
                  <td>{fmtTime(d.detectedAt)}</td>
                  <td>
                    <a href={`#/incidents/${encodeURIComponent(d.incidentId)}`}>{d.incidentId}</a>
                  </td>
                  <td>
                    {d.liveVersion} / {d.shadowVersion}
                  </td>
                  <td>{d.fields.join(', ')}</td>
                  <td>
                    {d.before.severity} → {d.after.severity}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
