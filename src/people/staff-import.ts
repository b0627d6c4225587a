import path from 'node:path';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { AppError } from '../common/errors';
import { checkStaff, StaffFields } from './staff.validation';

/**
 * The columns an HR export may have, by header (English or Chinese, any case). employeeNo, name,
 * department and roles are required; phone and active are optional (active defaults to true).
 */
export const IMPORT_COLUMNS = {
  employeeNo: ['employeeno', 'employee_no', '工号', '员工编号'],
  name: ['name', '姓名'],
  department: ['department', '部门'],
  roles: ['roles', '角色'],
  phone: ['phone', 'mobile', '手机', '电话', '手机号'],
  active: ['active', '在职', '状态'],
} as const;
type Column = keyof typeof IMPORT_COLUMNS;
const REQUIRED: Column[] = ['employeeNo', 'name', 'department', 'roles'];

/** A bad row of an import file: the line (row) and column at fault. */
export class StaffImportError extends AppError {
  constructor(
    readonly line: number,
    readonly column: string,
    reason: string,
  ) {
    super('BAD_USER_INPUT', `line ${line}, column ${column}: ${reason}`, { line, column });
  }
}

export interface ImportRow {
  line: number;
  fields: StaffFields;
}

/** Reads a CSV (UTF-8, comma-separated) or .xlsx file into rows of cell text, with their line numbers. */
export async function readSheet(file: string): Promise<Array<{ line: number; cells: string[] }>> {
  if (!fs.existsSync(file)) throw new AppError('BAD_USER_INPUT', `no file at ${file}`);
  const wb = new ExcelJS.Workbook();
  const ext = path.extname(file).toLowerCase();
  let sheet: ExcelJS.Worksheet | undefined;
  if (ext === '.xlsx') {
    await wb.xlsx.readFile(file);
    sheet = wb.worksheets[0];
  } else if (ext === '.csv' || ext === '.txt') {
    // Every value as written: no number or date guessing (工号 0012 stays 0012, phones stay text).
    sheet = await wb.csv.readFile(file, { map: (v: unknown) => v } as never);
  } else {
    throw new AppError('BAD_USER_INPUT', `${file}: give a .csv or .xlsx file`);
  }
  const rows: Array<{ line: number; cells: string[] }> = [];
  sheet?.eachRow({ includeEmpty: false }, (row, line) => {
    const values = (row.values as ExcelJS.CellValue[]).slice(1);
    rows.push({ line, cells: values.map(cellText) });
  });
  return rows;
}

function cellText(v: ExcelJS.CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v).trim();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  }
  return String(v).trim();
}

/**
 * Turns an HR sheet into checked staff rows: the first row names the columns; each later row
 * is one member. The first bad row throws StaffImportError naming its line and column, so a
 * file imports whole or not at all. Pure but for the departments given.
 */
export function parseStaffSheet(rows: Array<{ line: number; cells: string[] }>, departments: Readonly<Record<string, string>>): ImportRow[] {
  if (!rows.length) throw new StaffImportError(1, 'employeeNo', 'the file is empty; its first row names the columns');
  const [header, ...body] = rows;
  const index = new Map<Column, number>();
  header.cells.forEach((h, i) => {
    const key = h
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase();
    for (const [col, names] of Object.entries(IMPORT_COLUMNS) as Array<[Column, readonly string[]]>) if (names.includes(key)) index.set(col, i);
  });
  for (const col of REQUIRED)
    if (!index.has(col)) throw new StaffImportError(header.line, col, `no column ${col} (${IMPORT_COLUMNS[col].join(' / ')}) in the header row`);
  const seen = new Map<string, number>();
  const out: ImportRow[] = [];
  for (const { line, cells } of body) {
    const cell = (c: Column) => (index.has(c) ? (cells[index.get(c)!] ?? '') : '');
    if ((Object.keys(IMPORT_COLUMNS) as Column[]).every((c) => !cell(c))) continue; // a blank line
    let active = true;
    if (cell('active')) {
      const a = cell('active').toLowerCase();
      if (['true', '1', 'yes', 'y', '是', '在职'].includes(a)) active = true;
      else if (['false', '0', 'no', 'n', '否', '离职'].includes(a)) active = false;
      else throw new StaffImportError(line, 'active', `"${cell('active')}" is not true/false (是/否, 在职/离职)`);
    }
    let fields: StaffFields;
    try {
      fields = checkStaff(
        {
          employeeNo: cell('employeeNo'),
          name: cell('name'),
          department: cell('department'),
          roles: cell('roles').split(/[;|、,\s]+/),
          phone: cell('phone') || null,
          active,
        },
        departments,
        'row',
      );
    } catch (e) {
      if (!(e instanceof AppError) || typeof e.extensions.field !== 'string') throw e;
      const column = e.extensions.field.replace(/^row\./, '');
      throw new StaffImportError(line, column, e.message.replace(/^row\.\w+: /, ''));
    }
    const dup = seen.get(fields.employeeNo);
    if (dup !== undefined) throw new StaffImportError(line, 'employeeNo', `${fields.employeeNo} is on line ${dup} already`);
    seen.set(fields.employeeNo, line);
    out.push({ line, fields });
  }
  return out;
}
