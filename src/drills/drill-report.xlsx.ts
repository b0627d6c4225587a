import ExcelJS from 'exceljs';
import { stableWorkbook, wallClock } from '../reports/report-export.xlsx';
import type { Catalog } from '../rules/types';
import type { DrillReport } from './drill-report.service';

const VERDICTS: Record<string, string> = { ON_TIME: '按时', LATE: '超时完成', MISSED: '未完成(已超时)', PENDING: '未到期', WAIVED: '免除/撤销' };
const STATUSES: Record<string, string> = { SCHEDULED: '已计划', RUNNING: '进行中', COMPLETED: '已完成', ABORTED: '已中止' };
const SEVERITIES: Record<string, string> = { CRITICAL: '特别紧急', URGENT: '紧急', SERIOUS: '严重', GENERAL: '一般' };
const TIME_FORMAT = 'yyyy-mm-dd hh:mm';

/**
 * A run's 演练总结 as a one-sheet workbook: the drill (scenario, procedure, time, who planned it),
 * 演练评估 (on-time rate and counts, compared with earlier runs), 处置情况 per incident
 * (acknowledge, resolve, breaches, escalations), 处置明细 (each required action and refund step:
 * due, done, by whom, verdict), and 改进措施 with the lead's signature. The same report at the
 * same time gives the same bytes.
 */
export async function drillReportWorkbook(d: DrillReport, catalog: Catalog, timeZone: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Triage';
  const ws = wb.addWorksheet('演练总结', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = [{ width: 18 }, { width: 26 }, { width: 18 }, { width: 18 }, { width: 18 }, { width: 16 }, { width: 14 }];
  const time = (at: Date | null) => (at ? wallClock(at, timeZone) : null);
  const r = d.run;
  const title = ws.addRow(['应急预案演练总结']);
  ws.mergeCells(title.number, 1, title.number, 7);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center' };
  const pair = (label: string, value: unknown) => {
    const row = ws.addRow([label, value]);
    row.getCell(1).font = { bold: true };
    if (value instanceof Date) row.getCell(2).numFmt = TIME_FORMAT;
    return row;
  };
  pair('演练编号', r.id);
  pair('演练脚本', `${r.scenarioLabel} (${r.scenarioCode})`);
  pair('应急预案', catalog.drillProcedures?.[r.procedure]?.label ?? r.procedure);
  pair('开始时间', time(r.startsAt));
  pair('状态', STATUSES[r.status] ?? r.status);
  pair('组织人', r.scheduledBy);
  pair('规则版本', r.ruleSetVersion);
  ws.addRow([]);
  section(ws, '演练评估');
  const rate = pair('按时完成率', d.onTimeRate);
  rate.getCell(2).numFmt = '0.0%';
  pair('按时', d.onTime);
  pair('超时完成', d.late);
  pair('未完成', d.missed);
  pair('未到期', d.pending);
  for (const p of d.previous) {
    const row = pair(`历次演练 #${p.run.id}`, p.onTimeRate);
    row.getCell(2).numFmt = '0.0%';
    row.getCell(3).value = time(p.run.startsAt);
    row.getCell(3).numFmt = TIME_FORMAT;
  }
  ws.addRow([]);
  section(ws, '处置情况');
  header(ws, ['事件', '步骤', '级别', '受理用时(分钟)', '处理用时(分钟)', '超时次数', '升级次数']);
  for (const i of d.incidents) {
    ws.addRow([i.incidentId, i.stepId, SEVERITIES[i.severity] ?? i.severity, i.minutesToAcknowledge, i.minutesToResolve, i.breaches, i.escalations]);
  }
  ws.addRow([]);
  section(ws, '处置明细');
  header(ws, ['事件', '应做事项', '应完成时间', '完成时间', '完成人', '结果', '超时(分钟)']);
  for (const it of d.items) {
    const row = ws.addRow([it.incidentId, it.label, time(it.dueAt), time(it.doneAt), it.doneBy, VERDICTS[it.verdict] ?? it.verdict, it.minutesLate]);
    row.getCell(3).numFmt = TIME_FORMAT;
    row.getCell(4).numFmt = TIME_FORMAT;
  }
  ws.addRow([]);
  section(ws, '改进措施');
  const improvements = ws.addRow([r.improvements ?? '']);
  ws.mergeCells(improvements.number, 1, improvements.number, 7);
  improvements.alignment = { wrapText: true, vertical: 'top' };
  improvements.height = 90;
  ws.addRow([]);
  pair('负责人签字', r.signedBy ?? '');
  const signed = pair('签字时间', time(r.signedAt));
  signed.getCell(2).numFmt = TIME_FORMAT;
  return stableWorkbook(wb, d.asOf);
}

function section(ws: ExcelJS.Worksheet, label: string): void {
  const row = ws.addRow([label]);
  row.font = { bold: true, size: 13 };
}

function header(ws: ExcelJS.Worksheet, labels: string[]): void {
  const row = ws.addRow(labels);
  row.font = { bold: true };
  row.eachCell((c) => {
    c.border = { bottom: { style: 'thin' } };
  });
}
