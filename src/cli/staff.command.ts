import type { Command } from 'commander';
import { systemClock } from '../common/clock';
import { loadConfig } from '../config/config';
import { Transactions } from '../database/transaction';
import { loadRulePack } from '../rules/rule-pack.loader';
import { StaffService } from '../people/staff.service';
import { parseStaffSheet, readSheet, StaffImportError } from '../people/staff-import';
import { maskPhone } from '../auth/phone-mask';
import { withDatabase } from './cli-support';

/**
 * `triage staff import FILE [--dry-run]`: the staff directory from an HR export (CSV or xlsx).
 * Every row is checked first; a bad one names its line and column and nothing is imported.
 */
export function registerStaff(program: Command) {
  const staff = program.command('staff').description('the staff directory (成员名单)');
  staff
    .command('import <file>')
    .description(
      'add or update staff members from a CSV or xlsx file; columns: employeeNo/工号, name/姓名, department/部门, roles/角色 (separated by ; or |), phone/手机 (optional), active/在职 (optional: true/false, 是/否)',
    )
    .option('--dry-run', 'list what would change, change nothing', false)
    .action(async (file: string, opts: { dryRun: boolean }) => {
      const departments = loadRulePack(loadConfig().rulesDir).catalog.departments;
      let rows;
      try {
        rows = parseStaffSheet(await readSheet(file), departments);
      } catch (e) {
        if (e instanceof StaffImportError) throw new Error(`${file}: ${e.message}; nothing was imported`, { cause: e });
        throw e;
      }
      await withDatabase(async (ds) => {
        const changes = await new StaffService(ds, new Transactions(ds), systemClock, () => departments).importAll(
          rows.map((r) => r.fields),
          opts.dryRun,
        );
        for (const c of changes) {
          if (c.kind === 'ADD') console.log(`+ ${c.employeeNo}`);
          if (c.kind === 'CHANGE')
            console.log(
              `~ ${c.employeeNo} ${Object.entries(c.changes)
                .map(([k, [a, b]]) => `${k}: ${show(k, a)} → ${show(k, b)}`)
                .join(', ')}`,
            );
        }
        const count = (k: string) => changes.filter((c) => c.kind === k).length;
        console.log(
          `${opts.dryRun ? 'would add' : 'added'} ${count('ADD')}, ${opts.dryRun ? 'would change' : 'changed'} ${count('CHANGE')}, unchanged ${count('UNCHANGED')}${opts.dryRun ? ' (dry run: nothing written)' : ''}`,
        );
      });
    });
}

/** Phones are shown masked in the listing: it may end up in a terminal log. */
function show(field: string, v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (field === 'phone') return maskPhone(String(v))!;
  return String(v);
}
