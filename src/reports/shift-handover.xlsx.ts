import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { formatFen } from '../money/money';
import { maskPhone } from '../auth/phone-mask';
import type { Catalog } from '../rules/types';
import { stableWorkbook, wallClock } from './report-export.xlsx';
import type { HandoverRecordView } from './shift-handover-record.service';

const SHIFT_LABELS: Record<string, string> = { DAY: '白班', MIDDLE: '中班', NIGHT: '夜班' };
const REFUND_RESULTS: Record<string, string> = {
  PAID: '已付款',
  COMPLETED: '已付款并告知顾客',
  IN_APPROVAL: '审批中',
  RETURNED: '财务退回',
  CANCELLED: '已取消',
};
const INCIDENT_STATUSES: Record<string, string> = { OPEN: '待受理', ACKNOWLEDGED: '处理中' };
const TIME_FORMAT = 'yyyy-mm-dd hh:mm';
const AMOUNT_FORMAT = '#,##0.00';
const WIDTH = 6;

/**
 * A handover record as the paper 客服部值班交接单: title; date, shift and time; 交接人 and 接交人;
 * attendance (应到, 实到, 迟到, 早退, 旷工); 完成工作明细 line by line; 需跟进事项 (each open
 * incident's cause, where it stands, what the next shift must do, by when); the refund forms
 * handled (paid, submitted to finance, returned with the reason); 卫生; 备注; and the two
 * signatures with the record's checksum. From the record as frozen: the same record always
 * gives the same bytes (for one reader's phone visibility).
 */
export async function handoverWorkbook(record: HandoverRecordView, catalog: Catalog, timeZone: string, showPhones: boolean): Promise<Buffer> {
  const { entity: e, handover: h } = record;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Triage';
  const ws = wb.addWorksheet('客服部值班交接单', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = [{ width: 16 }, { width: 22 }, { width: 16 }, { width: 22 }, { width: 16 }, { width: 22 }];
  const time = (at: Date | null) => (at ? wallClock(at, timeZone) : null);
  const local = (at: Date) => DateTime.fromJSDate(at, { zone: timeZone });
  const row = (values: ExcelJS.CellValue[], opts: { bold?: boolean; merge?: boolean } = {}) => {
    const r = ws.addRow(values);
    r.eachCell((c) => {
      c.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
      c.alignment = { vertical: 'middle', wrapText: true };
      if (c.value instanceof Date) c.numFmt = TIME_FORMAT;
    });
    if (opts.bold) r.font = { bold: true };
    if (opts.merge) ws.mergeCells(r.number, values.length, r.number, WIDTH);
    return r;
  };
  const section = (title: string) => row([title], { bold: true, merge: true });

  const title = ws.addRow(['客服部值班交接单']);
  ws.mergeCells(title.number, 1, title.number, WIDTH);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center' };
  row(['日期', local(e.handedOverAt).toFormat('yyyy-MM-dd'), '班次', SHIFT_LABELS[e.shift] ?? e.shift, '交接时间', time(e.handedOverAt)]);
  row(['交接时段', `${local(h.from).toFormat('yyyy-MM-dd HH:mm')} 至 ${local(h.to).toFormat('yyyy-MM-dd HH:mm')}`], { merge: true });
  row(['交接人', e.handedOverBy, '接交人', e.handedOverTo, '接交确认时间', time(e.acknowledgedAt)]);
  section('出勤情况');
  row(['应到', e.expected, '实到', e.present, '迟到', e.late]);
  row(['早退', e.leftEarly, '旷工', e.absent]);

  section('完成工作明细');
  e.completedWork.forEach((line, i) => row([i + 1, line], { merge: true }));

  section('需跟进事项');
  row(['事件编号', '事件原因', '当前进展', '下一班需做', '负责', '时限'], { bold: true });
  const incidents = new Map(h.openIncidents.map((v) => [v.entity.id, v.entity]));
  for (const t of h.tasks) {
    const i = incidents.get(t.incidentId);
    const cause = i
      ? [catalog.categories[i.category]?.label ?? i.category, i.subtype ? (catalog.categories[i.category]?.subtypes[i.subtype] ?? i.subtype) : null]
          .filter(Boolean)
          .join(' / ')
      : null;
    const stands = t.refundNo ? `退款 ${t.refundNo}` : i ? (INCIDENT_STATUSES[i.status] ?? i.status) : null;
    const todo = [t.label ?? t.code, t.note].filter(Boolean).join(': ');
    row([String(t.incidentId), cause, stands, todo + (t.overdue ? '(已超时)' : ''), t.role, time(t.dueAt)]);
  }
  if (e.notes) row(['其他跟进', e.notes], { merge: true });

  section('退款单处理情况');
  row(['财务已付款', '文件编号', '电话', '金额', '银行', '结果'], { bold: true });
  for (const { entity: r } of h.paid) {
    row(['', r.refundNo, showPhones ? r.phone : maskPhone(r.phone), Number(formatFen(r.amountFen)), r.bank, REFUND_RESULTS[r.status] ?? r.status]).getCell(
      4,
    ).numFmt = AMOUNT_FORMAT;
  }
  row(['合计', `${h.paid.length}笔`, '', Number(formatFen(h.paidTotalFen))], { bold: true }).getCell(4).numFmt = AMOUNT_FORMAT;
  row(['已提交财务', '文件编号', '金额', '银行'], { bold: true });
  for (const { entity: r } of h.submittedToFinance) row(['', r.refundNo, Number(formatFen(r.amountFen)), r.bank]).getCell(3).numFmt = AMOUNT_FORMAT;
  row(['财务退回', '文件编号', '退回环节', '退回原因', '退回人', '退回时间'], { bold: true });
  for (const t of h.returns) row(['', t.refundNo, t.step, t.reason, t.returnedBy, time(t.returnedAt)]);

  row(['卫生是否打扫', e.cleaningDone ? '是' : '否']);
  row(['交接人签字', e.handedOverBy, '接交人签字', e.acknowledgedAt ? e.handedOverTo : null, '确认备注', e.acknowledgeNote]);
  row(['校验码(sha256)', e.checksum], { merge: true });
  ws.headerFooter.oddFooter = `&L交接人: ${e.handedOverBy}&R接交人: ${e.handedOverTo}`;
  return stableWorkbook(wb, e.acknowledgedAt ?? e.handedOverAt);
}
