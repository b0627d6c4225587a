import type { DataSource } from 'typeorm';
import { IncidentEntity } from './incident.entity';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `repeatIncidents30d`: this customer's earlier non-drill incidents in the 30 days before
 * `before` (the new report's time). Served by the (customer_id, reported_at) index.
 */
export class RepeatIncidentsFact {
  constructor(private readonly ds: DataSource) {}

  async repeatIncidents30d(customerId: string, before: Date): Promise<number> {
    return this.ds.getRepository(IncidentEntity).createQueryBuilder('i')
      .where('i.customer_id = :customerId', { customerId })
      .andWhere('i.reported_at >= :from AND i.reported_at < :before', { from: new Date(before.getTime() - 30 * DAY_MS), before })
      .andWhere('i.drill = :drill', { drill: false })
      .getCount();
  }
}
