import type { AppError } from '../common/errors';
import type { CatalogAction } from '../rules/types';
import { checkEvidence } from './action-evidence';

const POLICE: CatalogAction = { label: '拨打110报警', due: { immediate: true }, evidence: [{ key: 'receiptNo', label: '报警回执编号' }] };
const CCTV: CatalogAction = {
  label: '保留监控视频',
  due: { hours: 1 },
  retainDays: 30,
  evidence: [
    { key: 'storageLocation', label: '监控视频存放位置' },
    { key: 'keptUntil', label: '保留至', type: 'date', coversRetention: true },
  ],
};
const APOLOGIZE: CatalogAction = { label: '向顾客道歉', due: { hours: 1 } };

function refusal(f: () => unknown): { code: string; field: unknown } {
  try {
    f();
  } catch (e) {
    return { code: (e as AppError).code, field: (e as AppError).extensions.field };
  }
  throw new Error('expected a refusal');
}

describe('evidence an action requires', () => {
  it('refuses POLICE_REPORT without the receipt number, naming the field', () => {
    expect(refusal(() => checkEvidence('POLICE_REPORT', POLICE, undefined, null))).toEqual({ code: 'BAD_USER_INPUT', field: 'evidence.receiptNo' });
    expect(refusal(() => checkEvidence('POLICE_REPORT', POLICE, {}, null))).toEqual({ code: 'BAD_USER_INPUT', field: 'evidence.receiptNo' });
    expect(refusal(() => checkEvidence('POLICE_REPORT', POLICE, { receiptNo: '   ' }, null))).toEqual({ code: 'BAD_USER_INPUT', field: 'evidence.receiptNo' });
    expect(refusal(() => checkEvidence('POLICE_REPORT', POLICE, ['110'], null))).toEqual({ code: 'BAD_USER_INPUT', field: 'evidence' });
  });

  it('keeps what was given, trimmed, extra keys included', () => {
    expect(checkEvidence('POLICE_REPORT', POLICE, { receiptNo: ' 沪公(2026)110-0042 ', officer: '王警官' }, null)).toEqual({
      receiptNo: '沪公(2026)110-0042',
      officer: '王警官',
    });
  });

  it('needs where the CCTV is kept and a keep-until date that covers the retention', () => {
    const ok = { storageLocation: '监控室 NVR-2', keptUntil: '2026-12-23' };
    expect(checkEvidence('PRESERVE_CCTV', CCTV, ok, '2026-12-23')).toEqual(ok);
    expect(refusal(() => checkEvidence('PRESERVE_CCTV', CCTV, { keptUntil: '2026-12-23' }, '2026-12-23')).field).toBe('evidence.storageLocation');
    expect(refusal(() => checkEvidence('PRESERVE_CCTV', CCTV, { ...ok, keptUntil: '2026-12-22' }, '2026-12-23')).field).toBe('evidence.keptUntil');
    expect(refusal(() => checkEvidence('PRESERVE_CCTV', CCTV, { ...ok, keptUntil: '2026-02-30' }, null)).field).toBe('evidence.keptUntil');
    expect(refusal(() => checkEvidence('PRESERVE_CCTV', CCTV, { ...ok, keptUntil: '23/12/2026' }, null)).field).toBe('evidence.keptUntil');
  });

  it('asks nothing of an action without declared evidence, but keeps what is given', () => {
    expect(checkEvidence('APOLOGIZE', APOLOGIZE, undefined, null)).toBeNull();
    expect(checkEvidence('APOLOGIZE', APOLOGIZE, { by: '当班经理' }, null)).toEqual({ by: '当班经理' });
    expect(refusal(() => checkEvidence('APOLOGIZE', APOLOGIZE, { by: { nested: true } }, null)).field).toBe('evidence.by');
    expect(refusal(() => checkEvidence('APOLOGIZE', APOLOGIZE, { by: 'x'.repeat(501) }, null)).field).toBe('evidence.by');
  });
});
