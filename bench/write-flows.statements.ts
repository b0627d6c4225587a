import type { Dialect } from '../src/database/dialect';

/**
 * The statements the service sends for amendIncident, completeAction, decideRefundStep and
 * advanceRemedy through RawTable and RawInsert (database/raw-table.ts, raw-insert.ts: each
 * entity's columns by their own names, values as `?` parameters, prepared), copied from a trace
 * of the service (every statement through the mysql2 connection and the better-sqlite3
 * statements, on MariaDB 10.11 and SQLite, 2026-12-07) — not imported, since the service makes
 * them from TypeORM's entity metadata at run time. The statements the service keeps in
 * `*.statements.ts` (key lookup, repeat count, refunds total, history inserts, outbox,
 * rollups) are imported by the ceiling instead. Retrace (bench/support/statement-trace.cjs)
 * when the service's statements change.
 */

/** Each entity's columns, in the order of its metadata (RawTable's select list). */
const COLUMNS = {
  IncidentEntity: [
    'id',
    'source',
    'external_ref',
    'input_hash',
    'category',
    'subtype',
    'status',
    'severity',
    'owner_department',
    'police_report_required',
    'amount_fen',
    'report',
    'customer_id',
    'customer_phone',
    'order_no',
    'channel',
    'occurred_at',
    'reported_at',
    'business_month',
    'business_week',
    'business_day',
    'acknowledge_by',
    'resolve_by',
    'acknowledged_at',
    'resolved_at',
    'drill',
    'repeat_incidents_30d',
    'rule_set_version',
    'decision',
    'amended_at',
    'satisfaction_score',
    'satisfaction_comment',
    'version',
    'updated_at',
  ],
  IncidentActionEntity: [
    'id',
    'incident_id',
    'code',
    'position',
    'due_at',
    'retain_until',
    'status',
    'done',
    'reason',
    'done_at',
    'done_by',
    'note',
    'evidence',
  ],
  IncidentClockEntity: ['incident_id', 'paused_at', 'paused_by', 'pause_reason', 'paused_ms', 'paused_working_ms', 'pauses'],
  IncidentDecisionEntity: ['id', 'incident_id', 'seq', 'decided_at', 'kind', 'actor', 'note', 'rule_set_version', 'decision'],
  IncidentEventEntity: ['id', 'incident_id', 'at', 'actor', 'kind', 'from_status', 'to_status', 'note', 'detail'],
  RefundEntity: [
    'id',
    'refund_no',
    'incident_id',
    'source',
    'amount_fen',
    'method',
    'status',
    'current_step',
    'chain',
    'attempt',
    'order_no',
    'purchased_at',
    'bank',
    'phone',
    'fault_description',
    'customer_opinion',
    'requested_by',
    'requester_person',
    'requested_at',
    'business_month',
    'business_day',
    'paid_at',
    'completed_at',
    'returned_at',
    'return_reason',
    'cancelled_at',
    'cancel_reason',
    'drill',
    'category',
    'owner_department',
    'rule_set_version',
    'version',
    'updated_at',
  ],
  RefundStepEntity: [
    'id',
    'position',
    'step',
    'role',
    'status',
    'actor',
    'pending_since',
    'due_at',
    'decided_at',
    'refund_id',
    'attempt',
    'approval',
    'can_return',
    'signer',
    'comment',
  ],
  RemedyEntity: [
    'id',
    'incident_id',
    'source',
    'drill',
    'kind',
    'status',
    'current_step',
    'order_no',
    'items',
    'note',
    'started_by',
    'started_at',
    'completed_at',
    'cancelled_at',
    'cancel_reason',
    'rule_set_version',
    'version',
    'updated_at',
  ],
  RemedyStepEntity: [
    'id',
    'position',
    'step',
    'role',
    'status',
    'actor',
    'pending_since',
    'due_at',
    'decided_at',
    'remedy_id',
    'due',
    'needs_tracking',
    'note',
    'tracking_no',
  ],
} as const;

type Entity = keyof typeof COLUMNS;

/** The statements of one dialect, in the order of their parameters as RawTable binds them. */
export function flowStatements(d: Dialect) {
  const q = (name: string) => (d === 'sqlite' ? `"${name}"` : `\`${name}\``);
  /** RawTable's select (database/raw-table.ts): the entity's columns by their own names, no alias. */
  const rawSelect = (entity: Entity, table: string) => `SELECT ${COLUMNS[entity].map(q).join(', ')} FROM ${q(table)}`;
  return {
    /** locks.ts lockIncidentRow: MariaDB only (SQLite has one writer and sends nothing). */
    lockIncident: d === 'sqlite' ? null : 'SELECT id FROM incidents WHERE id = ? FOR UPDATE',
    // completeAction, amendIncident and the incident they answer: RawTable and RawInsert, prepared.
    /** IncidentReader.entityFor: the incident row locked and read in one statement (MariaDB: FOR UPDATE; SQLite: a plain read). */
    lockedIncident: `${rawSelect('IncidentEntity', 'incidents')} WHERE ${q('id')} = ? LIMIT 1${d === 'sqlite' ? '' : ' FOR UPDATE'}`,
    actionsOf: `${rawSelect('IncidentActionEntity', 'incident_actions')} WHERE ${q('incident_id')} = ? ORDER BY ${q('position')} ASC`,
    completeAction: `UPDATE ${q('incident_actions')} SET ${q('status')} = ?, ${q('done_at')} = ?, ${q('done_by')} = ?, ${q('note')} = ?, ${q('evidence')} = ?, ${q('done')} = ? WHERE ${q('id')} = ?`,
    settleBreaches: `UPDATE ${q('breaches')} SET ${q('settled_at')} = ?, ${q('next_escalation_at')} = ? WHERE ${q('subject_type')} = ? AND ${q('subject_id')} = ? AND ${q('settled_at')} IS NULL`,
    bumpIncident: `UPDATE ${q('incidents')} SET ${q('version')} = ?, ${q('updated_at')} = ? WHERE ${q('id')} = ? AND ${q('version')} = ?`,
    // amendIncident (its refunds total is the service's own text: REFUNDS_COMMITTED_SQL)
    clockOf: `${rawSelect('IncidentClockEntity', 'incident_clocks')} WHERE ${q('incident_id')} = ? LIMIT 1`,
    lastDecision: `${rawSelect('IncidentDecisionEntity', 'incident_decisions')} WHERE ${q('incident_id')} = ? ORDER BY ${q('seq')} DESC LIMIT 1`,
    reportedEvent: `${rawSelect('IncidentEventEntity', 'incident_events')} WHERE ${q('incident_id')} = ? AND ${q('kind')} = ? ORDER BY ${q('id')} ASC LIMIT 1`,
    insertDecision: `INSERT INTO ${q('incident_decisions')} (${['incident_id', 'seq', 'decided_at', 'kind', 'actor', 'note', 'rule_set_version', 'decision'].map(q).join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    amendIncident: `UPDATE ${q('incidents')} SET ${q('subtype')} = ?, ${q('severity')} = ?, ${q('owner_department')} = ?, ${q('police_report_required')} = ?, ${q('amount_fen')} = ?, ${q('report')} = ?, ${q('acknowledge_by')} = ?, ${q('resolve_by')} = ?, ${q('rule_set_version')} = ?, ${q('decision')} = ?, ${q('amended_at')} = ?, ${q('version')} = ?, ${q('updated_at')} = ? WHERE ${q('id')} = ? AND ${q('version')} = ?`,
    // decideRefundStep: the refund service and reader send RawTable's statements (prepared on MariaDB)
    refundById: `${rawSelect('RefundEntity', 'refunds')} WHERE ${q('id')} = ? LIMIT 1`,
    refundSteps: `${rawSelect('RefundStepEntity', 'refund_steps')} WHERE ${q('refund_id')} IN (?) ORDER BY ${q('attempt')} ASC, ${q('position')} ASC`,
    moveRefund: `UPDATE ${q('refunds')} SET ${q('status')} = ?, ${q('current_step')} = ?, ${q('version')} = ?, ${q('updated_at')} = ? WHERE ${q('id')} = ? AND ${q('version')} = ?`,
    decideRefundStep: `UPDATE ${q('refund_steps')} SET ${q('status')} = ?, ${q('actor')} = ?, ${q('signer')} = ?, ${q('comment')} = ?, ${q('decided_at')} = ? WHERE ${q('refund_id')} = ? AND ${q('attempt')} = ? AND ${q('position')} = ?`,
    openRefundStep: `UPDATE ${q('refund_steps')} SET ${q('status')} = ?, ${q('pending_since')} = ?, ${q('due_at')} = ? WHERE ${q('id')} = ?`,
    // advanceRemedy: all through RawTable (the remedy before the transaction is read whole, by the reader's statement)
    remedyById: `${rawSelect('RemedyEntity', 'remedies')} WHERE ${q('id')} = ? LIMIT 1`,
    remedySteps: `${rawSelect('RemedyStepEntity', 'remedy_steps')} WHERE ${q('remedy_id')} IN (?) ORDER BY ${q('remedy_id')} ASC, ${q('position')} ASC`,
    moveRemedy: `UPDATE ${q('remedies')} SET ${q('status')} = ?, ${q('current_step')} = ?, ${q('version')} = ?, ${q('updated_at')} = ? WHERE ${q('id')} = ? AND ${q('version')} = ?`,
    doRemedyStep: `UPDATE ${q('remedy_steps')} SET ${q('status')} = ?, ${q('actor')} = ?, ${q('note')} = ?, ${q('tracking_no')} = ?, ${q('decided_at')} = ? WHERE ${q('id')} = ?`,
    openRemedyStep: `UPDATE ${q('remedy_steps')} SET ${q('status')} = ?, ${q('pending_since')} = ?, ${q('due_at')} = ? WHERE ${q('id')} = ?`,
  };
}

export type FlowStatements = ReturnType<typeof flowStatements>;
