import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { ident, isSqlite } from './dialect';
import { rawExec } from './raw-sql';

/** Column values to match: a value is `column = ?`, an array `column IN (?, …)`, null `IS NULL`. */
export type RawWhere<T> = { [K in keyof T]?: T[K] | ReadonlyArray<T[K]> | null };
/** Columns to order by, in this order. */
export type RawOrder<T> = { [K in keyof T]?: 'ASC' | 'DESC' };

export interface RawFindOptions<T> {
  order?: RawOrder<T>;
  /** A whole number, written into the text (each limit its own statement). */
  limit?: number;
  /** Lock the rows read to the end of the transaction (MySQL/MariaDB; SQLite has one writer). */
  forUpdate?: boolean;
}

interface Statement {
  sql: string;
  /** The column of each parameter, in order (an IN list repeats its column). */
  columns: ColumnMetadata[];
}

const tables = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, RawTable<ObjectLiteral>>>();

/** The one RawTable of an entity on a data source (its statements made once). */
export function rawTable<T extends ObjectLiteral>(ds: DataSource, target: EntityTarget<T>): RawTable<T> {
  let byTarget = tables.get(ds);
  if (!byTarget) tables.set(ds, (byTarget = new Map()));
  let table = byTarget.get(target);
  if (!table) byTarget.set(target, (table = new RawTable(ds, target)));
  return table as unknown as RawTable<T>;
}

/**
 * The `?` marks of an IN list of `n` values: the next power of two. Each length would be its own
 * prepared statement on every connection (MariaDB allows 16,382 in all, by default), so a
 * batched read of any size up to 256 is one of 9 statements.
 */
function listMarks(n: number): number {
  return n <= 1 ? n : 2 ** Math.ceil(Math.log2(n));
}

/** Shapes of statement kept per table; more are still run, only not remembered. */
const MAX_SHAPES = 256;

/**
 * One entity's rows read and changed by plain SQL straight to the driver (`rawExec`), for the
 * service's write flows: TypeORM's find and update builders and its entity hydration cost
 * several times the CPU of the statements they send (amending an incident, completing an
 * action, deciding a refund step, advancing a remedy each read and write a handful of rows).
 *
 * What is read and written is what TypeORM reads and writes for the same entity: the columns
 * and names of its metadata; values stored through the driver's `preparePersistentValue` and
 * read back through `prepareHydratedValue` (column transformers, dates, booleans), and entities
 * made as TypeORM makes them from rows (its prototype, without the constructor). Only flat
 * entities (no relations or embedded columns), which is all the service has. Run with a
 * transaction's EntityManager to be part of that transaction.
 *
 * Each statement's text depends on the shape of the call only (which columns are matched, set
 * and ordered, an IN list's length rounded up to a power of two, the limit), never on the
 * values, and is made once per shape: it is prepared once per connection (raw-sql.ts).
 */
export class RawTable<T extends ObjectLiteral> {
  private meta: EntityMetadata | null = null;
  private selectHead = '';
  private readonly byShape = new Map<string, Statement>();

  constructor(
    private readonly ds: DataSource,
    private readonly target: EntityTarget<T>,
  ) {}

  /** The rows matching `where`, as entities. */
  async find(em: EntityManager, where: RawWhere<T>, options: RawFindOptions<T> = {}): Promise<T[]> {
    const meta = this.metadata();
    const stmt = this.statement('S', where, null, options, () => this.selectSql(where, options));
    const rows = (await rawExec(em, stmt.sql, this.params(stmt, null, where))) as Array<Record<string, unknown>>;
    const out: T[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.hydrate(meta, rows[i]);
    return out;
  }

  /** The first row matching `where` (in `order`), or null. */
  async findOne(em: EntityManager, where: RawWhere<T>, options: Omit<RawFindOptions<T>, 'limit'> = {}): Promise<T | null> {
    const [row] = await this.find(em, where, { ...options, limit: 1 });
    return row ?? null;
  }

  /** Sets the columns of `set` (but those undefined) on the rows matching `where`; how many rows it changed. */
  async update(em: EntityManager, set: Partial<T>, where: RawWhere<T>): Promise<number> {
    const stmt = this.statement('U', where, set, {}, () => this.updateSql(set, where));
    const result = await rawExec(em, stmt.sql, this.params(stmt, set, where));
    if (Array.isArray(result)) throw new Error(`an UPDATE answered rows: ${stmt.sql}`);
    return result.affectedRows;
  }

  private metadata(): EntityMetadata {
    if (this.meta) return this.meta;
    const meta = this.ds.getMetadata(this.target);
    if (meta.relations.length || meta.embeddeds.length) throw new Error(`RawTable takes flat entities only, not ${meta.name}`);
    this.selectHead = `SELECT ${meta.columns.map((c) => this.q(c.databaseName)).join(', ')} FROM ${this.q(meta.tableName)}`;
    return (this.meta = meta);
  }

  private statement(kind: string, where: RawWhere<T>, set: Partial<T> | null, options: RawFindOptions<T>, make: () => Statement): Statement {
    let key = kind;
    for (const k in set) if (set[k] !== undefined) key += `,${k}`;
    key += '|';
    for (const k in where) {
      const v = where[k];
      key += Array.isArray(v) ? `,${k}[${listMarks(v.length)}]` : v === null ? `,${k}!` : `,${k}`;
    }
    for (const k in options.order) key += `,${k}${options.order[k]}`;
    key += `|${options.limit ?? ''}${options.forUpdate ? 'U' : ''}`;
    let stmt = this.byShape.get(key);
    if (!stmt) {
      stmt = make();
      if (this.byShape.size < MAX_SHAPES) this.byShape.set(key, stmt);
    }
    return stmt;
  }

  private selectSql(where: RawWhere<T>, options: RawFindOptions<T>): Statement {
    const meta = this.metadata();
    const { sql: cond, columns } = this.conditions(where);
    let sql = this.selectHead + cond;
    const order = Object.entries(options.order ?? {}) as Array<[string, 'ASC' | 'DESC']>;
    if (order.length)
      sql += ` ORDER BY ${order.map(([k, dir]) => `${this.q(this.column(meta, k).databaseName)} ${dir === 'DESC' ? 'DESC' : 'ASC'}`).join(', ')}`;
    if (options.limit !== undefined) sql += ` LIMIT ${Math.max(0, Math.trunc(options.limit))}`;
    if (options.forUpdate && !isSqlite(this.ds)) sql += ' FOR UPDATE';
    return { sql, columns };
  }

  private updateSql(set: Partial<T>, where: RawWhere<T>): Statement {
    const meta = this.metadata();
    const setColumns = Object.keys(set)
      .filter((k) => set[k] !== undefined)
      .map((k) => this.column(meta, k));
    if (!setColumns.length) throw new Error(`an UPDATE of ${meta.tableName} sets nothing`);
    const { sql: cond, columns } = this.conditions(where);
    if (!columns.length && !cond) throw new Error(`an UPDATE of ${meta.tableName} without a condition`);
    const sql = `UPDATE ${this.q(meta.tableName)} SET ${setColumns.map((c) => `${this.q(c.databaseName)} = ?`).join(', ')}${cond}`;
    return { sql, columns: [...setColumns, ...columns] };
  }

  /** ` WHERE …` for the keys of `where` (empty when there are none), and the column of each parameter. */
  private conditions(where: RawWhere<T>): { sql: string; columns: ColumnMetadata[] } {
    const meta = this.metadata();
    const parts: string[] = [];
    const columns: ColumnMetadata[] = [];
    for (const [k, v] of Object.entries(where)) {
      const c = this.column(meta, k);
      const name = this.q(c.databaseName);
      if (v === undefined) throw new Error(`${meta.name}: no value to match ${k} with`);
      if (v === null) parts.push(`${name} IS NULL`);
      else if (Array.isArray(v)) {
        // An empty list matches nothing (IN () is not SQL).
        const marks = listMarks(v.length);
        parts.push(marks ? `${name} IN (${Array(marks).fill('?').join(', ')})` : '1 = 0');
        for (let i = 0; i < marks; i++) columns.push(c);
      } else {
        parts.push(`${name} = ?`);
        columns.push(c);
      }
    }
    return { sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', columns };
  }

  /** The parameters of a statement: the values of `set`, then of `where`, each as the driver stores it. */
  private params(stmt: Statement, set: Partial<T> | null, where: RawWhere<T>): unknown[] {
    const driver = this.ds.driver;
    const values: unknown[] = [];
    // An undefined value is left as it is (as TypeORM's update does), a null is written.
    for (const k in set) if (set[k] !== undefined) values.push(set[k]);
    for (const k in where) {
      const v: unknown = where[k];
      if (Array.isArray(v)) {
        const list = v as unknown[];
        // Padded with its last value up to the statement's marks (a value twice in IN matches the same rows).
        for (let i = 0, marks = listMarks(list.length); i < marks; i++) values.push(list[Math.min(i, list.length - 1)]);
      } else if (v !== null) values.push(v);
    }
    const params: unknown[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) params[i] = driver.preparePersistentValue(values[i], stmt.columns[i]);
    return params;
  }

  private hydrate(meta: EntityMetadata, row: Record<string, unknown>): T {
    const driver = this.ds.driver;
    const entity = meta.create(undefined, { fromDeserializer: true }) as T;
    for (const c of meta.columns) (entity as Record<string, unknown>)[c.propertyName] = driver.prepareHydratedValue(row[c.databaseName], c);
    return entity;
  }

  private column(meta: EntityMetadata, propertyName: string): ColumnMetadata {
    const c = meta.findColumnWithPropertyName(propertyName);
    if (!c) throw new Error(`${meta.name} has no column ${propertyName}`);
    return c;
  }

  private q(name: string): string {
    return ident(isSqlite(this.ds) ? 'sqlite' : 'mysql', name);
  }
}
