import { useEffect, useRef, useState } from 'preact/hooks';
// ECharts, tree-shaken to what these charts use. This module is loaded only by the reports page.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { download, gql } from '../api';
import { graphql } from '../gql';
import { lang, t } from '../i18n';
import type { RefundReportTable, SignOffStage } from '../gql/graphql';
import { ErrorBox, fmtTime, label, useAction, useLoad } from '../util';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const ReportsData = graphql(`
  query ReportsCharts {
    refundAggregates(groupBy: [MONTH]) {
      keys
      count
      totalAmount
      paidCount
      lateSteps
    }
    incidentAggregates(groupBy: [CATEGORY]) {
      keys
      count
      breaches
      resolved
      repeatCustomerIncidents
    }
    incidentMonths: incidentAggregates(groupBy: [MONTH]) {
      keys
      count
      breaches
    }
    incidentDepartments: incidentAggregates(groupBy: [OWNER_DEPARTMENT]) {
      keys
      count
      breaches
      resolved
    }
    refundBanks: refundAggregates(groupBy: [BANK]) {
      keys
      count
      totalAmount
    }
    refundDepartments: refundAggregates(groupBy: [OWNER_DEPARTMENT]) {
      keys
      count
      totalAmount
      lateSteps
    }
    catalog {
      departmentEntries {
        code
        label
      }
    }
    refundStageDurations {
      step
      label
      decided
      averageHours
      late
      pending
      pendingOverdue
    }
  }
`);

const Monthly = graphql(`
  query ReportsMonthly($month: String!) {
    monthlyRefundReport(month: $month) {
      month
      dueDate
      overdue
      totalCount
      totalAmount
      filings {
        table
        status
        dueAt
        filedAt
        overdue
        totalCount
        totalAmount
      }
      signOffs {
        table
        stage
        actor
        at
        note
      }
      customerServiceRows {
        rowNo
        refundNo
        orderNo
        amount
        bank
        submitter
        submittedAt
        customerToldAt
      }
    }
  }
`);

const SignOff = graphql(`
  mutation ConsoleSignOffMonthly($month: String!, $table: RefundReportTable!, $stage: SignOffStage!, $note: String) {
    signOffMonthlyRefundReport(month: $month, table: $table, stage: $stage, note: $note) {
      month
    }
  }
`);

const TABLE_ZH: Record<RefundReportTable, string> = { CUSTOMER_SERVICE: '客服退单统计表', FINANCE: '财务退单统计表' };
const FILING_ZH: Record<string, string> = { OPEN: '待审核', REVIEWED: '已审核', ARCHIVED: '已存档' };

function Chart({ option, name }: { option: echarts.EChartsCoreOption; name: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(el.current!);
    chart.setOption({ animation: false, ...option }); // drawn at once: an office screen, and a screenshot, see the figures as they are
    const onResize = () => chart.resize();
    addEventListener('resize', onResize);
    return () => {
      removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [option]);
  return <div class="chart" data-chart={name} ref={el} />;
}

function thisMonth(): string {
  const d = new Date(Date.now() + 8 * 3600_000); // Asia/Shanghai
  return d.toISOString().slice(0, 7);
}

export function Reports() {
  const { data, error } = useLoad(() => gql(ReportsData), []);
  const [month, setMonth] = useState(thisMonth());
  const monthly = useLoad(() => gql(Monthly, { month }), [month]);
  const downloads = useAction();
  const zh = lang.get() === 'zh';
  const get = (path: string, name: string) => downloads.run(() => download(path, name));
  const deptLabel = new Map((data?.catalog.departmentEntries ?? []).map((d) => [d.code, d.label]));
  const dept = (code: string) => (zh ? (deptLabel.get(code) ?? code) : code);
  const byDept = new Map((data?.incidentDepartments ?? []).map((a) => [a.keys[0], a]));
  const refundByDept = new Map((data?.refundDepartments ?? []).map((a) => [a.keys[0], a]));
  const depts = [...new Set([...byDept.keys(), ...refundByDept.keys()])].sort();
  const signing = useAction();
  const sign = (table: RefundReportTable, stage: SignOffStage) =>
    signing.run(async () => {
      await gql(SignOff, { month, table, stage });
      monthly.reload();
    });
  return (
    <section class="reports">
      <h2>{t('报表')}</h2>
      <ErrorBox error={error} />
      {data && (
        <div class="grid2">
          <div class="card">
            <h3>{t('退款汇总（按月）')}</h3>
            <Chart
              name="refunds-by-month"
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: { type: 'category', data: data.refundAggregates.map((a) => a.keys[0]) },
                yAxis: [
                  { type: 'value', name: t('金额') },
                  { type: 'value', name: t('笔数') },
                ],
                series: [
                  { type: 'bar', name: t('金额'), data: data.refundAggregates.map((a) => Number(a.totalAmount)) },
                  { type: 'line', name: t('笔数'), yAxisIndex: 1, data: data.refundAggregates.map((a) => a.count) },
                ],
              }}
            />
          </div>
          <div class="card">
            <h3>{t('投诉统计（按类别）')}</h3>
            <Chart
              name="incidents-by-category"
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: { type: 'category', data: data.incidentAggregates.map((a) => a.keys[0]) },
                yAxis: { type: 'value' },
                series: [
                  { type: 'bar', name: t('总数'), data: data.incidentAggregates.map((a) => a.count) },
                  { type: 'bar', name: t('已超时'), data: data.incidentAggregates.map((a) => a.breaches) },
                ],
              }}
            />
            <Chart
              name="incidents-by-month"
              option={{
                tooltip: { trigger: 'axis' },
                xAxis: { type: 'category', data: data.incidentMonths.map((a) => a.keys[0]) },
                yAxis: { type: 'value' },
                series: [{ type: 'line', name: t('总数'), data: data.incidentMonths.map((a) => a.count) }],
              }}
            />
            <button onClick={() => get('/reports/incidents/statistics.xlsx?groupBy=MONTH,CATEGORY', 'statistics.xlsx')}>{t('下载 Excel')}</button>
          </div>
          <div class="card">
            <h3>{t('环节用时')}</h3>
            <Chart
              name="stage-durations"
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: {
                  type: 'category',
                  data: data.refundStageDurations.map((s) => (zh ? (s.label ?? s.step) : s.step)),
                  axisLabel: { interval: 0, rotate: 20 },
                },
                yAxis: [
                  { type: 'value', name: t('平均用时（小时）') },
                  { type: 'value', name: t('超时') },
                ],
                series: [
                  { type: 'bar', name: t('平均用时（小时）'), data: data.refundStageDurations.map((s) => s.averageHours ?? 0) },
                  { type: 'line', name: t('超时'), yAxisIndex: 1, data: data.refundStageDurations.map((s) => s.late + s.pendingOverdue) },
                ],
              }}
            />
          </div>
          <div class="card">
            <h3>{t('按部门')}</h3>
            <Chart
              name="by-department"
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                grid: { left: 8, right: 8, containLabel: true },
                xAxis: { type: 'category', data: depts.map(dept), axisLabel: { interval: 0, rotate: 20 } },
                yAxis: [{ type: 'value' }, { type: 'value', name: t('金额') }],
                series: [
                  { type: 'bar', name: t('投诉'), data: depts.map((d) => byDept.get(d)?.count ?? 0) },
                  { type: 'bar', name: t('已超时'), data: depts.map((d) => byDept.get(d)?.breaches ?? 0) },
                  { type: 'line', name: t('退款金额'), yAxisIndex: 1, data: depts.map((d) => Number(refundByDept.get(d)?.totalAmount ?? 0)) },
                ],
              }}
            />
          </div>
          <div class="card">
            <h3>{t('退款（按银行）')}</h3>
            <Chart
              name="refunds-by-bank"
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                grid: { left: 8, right: 8, containLabel: true },
                xAxis: { type: 'category', data: data.refundBanks.map((a) => a.keys[0] || t('未填')) },
                yAxis: [
                  { type: 'value', name: t('金额') },
                  { type: 'value', name: t('笔数') },
                ],
                series: [
                  { type: 'bar', name: t('金额'), data: data.refundBanks.map((a) => Number(a.totalAmount)) },
                  { type: 'line', name: t('笔数'), yAxisIndex: 1, data: data.refundBanks.map((a) => a.count) },
                ],
              }}
            />
          </div>
        </div>
      )}
      <div class="card">
        <div class="toolbar">
          <h3>{t('月度退单统计表')}</h3>
          <label>
            {t('月份')} <input type="month" name="month" value={month} onInput={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} />
          </label>
          <button onClick={() => get(`/reports/refunds/monthly/${month}.xlsx`, `退单统计表-${month}.xlsx`)}>{t('下载 Excel')}</button>
          <button onClick={() => get(`/reports/refunds/monthly/${month}.csv`, `退单统计表-${month}.csv`)}>{t('下载 CSV')}</button>
          <span class="muted">
            {t('报送期限')}: {monthly.data?.monthlyRefundReport.dueDate ?? ''}
          </span>
        </div>
        <ErrorBox error={monthly.error ?? downloads.error ?? signing.error} />
        {monthly.data && (
          <table data-testid="filings" class="filings">
            <tbody>
              {monthly.data.monthlyRefundReport.filings.map((f) => (
                <tr data-table={f.table} data-status={f.status}>
                  <td>{t(TABLE_ZH[f.table])}</td>
                  <td>
                    {f.totalCount} · ¥{f.totalAmount}
                  </td>
                  <td>
                    {label(FILING_ZH, f.status)} {f.overdue && <span class="badge breach">{t('逾期')}</span>}
                  </td>
                  <td>
                    {t('到期')}: {fmtTime(f.dueAt)}
                  </td>
                  <td class="row">
                    <button disabled={f.status !== 'OPEN'} onClick={() => sign(f.table, 'REVIEWED')}>
                      {t('部门主管审核')}
                    </button>
                    <button disabled={f.status !== 'REVIEWED'} onClick={() => sign(f.table, 'ARCHIVED')}>
                      {t('存档')}
                    </button>
                    <span class="muted">
                      {monthly
                        .data!.monthlyRefundReport.signOffs.filter((s) => s.table === f.table)
                        .map((s) => `${s.stage === 'REVIEWED' ? t('审核') : t('存档')}: ${s.actor} ${fmtTime(s.at)}`)
                        .join(' · ')}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {monthly.data && (
          <table data-testid="monthly">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('退款单号')}</th>
                <th>Order</th>
                <th>{t('金额')}</th>
                <th>Bank</th>
                <th>Submitter</th>
                <th>{t('起')}</th>
              </tr>
            </thead>
            <tbody>
              {monthly.data.monthlyRefundReport.customerServiceRows.map((r) => (
                <tr>
                  <td>{r.rowNo}</td>
                  <td>{r.refundNo}</td>
                  <td>{r.orderNo ?? ''}</td>
                  <td>¥{r.amount}</td>
                  <td>{r.bank ?? ''}</td>
                  <td>{r.submitter}</td>
                  <td>{fmtTime(r.submittedAt)}</td>
                </tr>
              ))}
              <tr>
                <td colSpan={3}>{t('合计')}</td>
                <td>¥{monthly.data.monthlyRefundReport.totalAmount}</td>
                <td colSpan={3}>{monthly.data.monthlyRefundReport.totalCount}</td>
              </tr>
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
