import type { DataSource, EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { rawExec, rawQuery } from '../database/raw-sql';
import { IncidentEntity } from './incident.entity';
import { REPEAT_INCIDENTS_SQL } from './incident.statements';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `repeatIncidents30d`: this customer's earlier non-drill incidents in the 30 days before
 * `before` (the new report's time). Read from the (customer_id, drill, reported_at) index alone.
 *
 * Read on most reports, so it is one plain COUNT straight to the driver: TypeORM's count query
 * builder cost several times the round trip. Parameters are prepared as for the columns compared.
 * Inside a transaction, pass its manager: the count then goes on the transaction's own
 * connection, never on a second one from the pool (with as many such transactions as the pool
 * has connections, each would wait for a connection another holds).
 */
export class RepeatIncidentsFact {
  private columns: { reportedAt: ColumnMetadata; drill: ColumnMetadata } | null = null;

  constructor(private readonly ds: DataSource) {}

  async repeatIncidents30d(customerId: string, before: Date, em?: EntityManager): Promise<number> {
    const meta = this.ds.getMetadata(IncidentEntity);
    this.columns ??= { reportedAt: meta.findColumnWithPropertyName('reportedAt')!, drill: meta.findColumnWithPropertyName('drill')! };
    const { driver } = this.ds;
    const at = (d: Date) => driver.preparePersistentValue(d, this.columns!.reportedAt);
    const params = [customerId, at(new Date(before.getTime() - 30 * DAY_MS)), at(before), driver.preparePersistentValue(false, this.columns.drill)];
    const rows = (await (em ? rawExec(em, REPEAT_INCIDENTS_SQL, params) : rawQuery(this.ds, REPEAT_INCIDENTS_SQL, params))) as Array<{ n: number | string }>;
    return Number(rows[0].n);
  }
}
