import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { Transactions } from '../database/transaction';

/** Runs in the publishing transaction, with its EntityManager: a throw rolls the write back. */
export type InTransactionHandler<P> = (em: EntityManager, payload: P) => Promise<void>;
/** Runs once the publishing transaction committed (never if it rolled back); a throw is logged, never the writer's. */
export type AfterCommitHandler<P> = (payload: P) => void | Promise<void>;

/** Handlers of one event, kept sorted by their order (equal orders: in subscription order). */
interface Subscribers<H> {
  orders: number[];
  handlers: H[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload types are checked at subscribe and publish
type AnyInTransaction = InTransactionHandler<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAfterCommit = AfterCommitHandler<any>;

/**
 * One typed event bus for the process (after Vendure's EventBus). `T` maps the events published
 * inside a transaction to their payloads, `O` those published outside any (timings, outcomes,
 * rule-pack swaps).
 *
 * Handlers say their phase when they subscribe:
 * - `inTransaction(name, order, h)` — awaited by `publish`, in the publisher's transaction with
 *   its EntityManager (TypeORM's, or the raw runner's of Transactions.runRaw: such a handler sends
 *   raw statements only when the event is published on the raw path). A throw rolls the write back.
 *   `order` is explicit where it matters: lower runs first (the webhook outbox locks the incident
 *   row before the rollups take theirs).
 * - `afterCommit(name, h, order?)` — queued by `publish` on the transaction (Transactions) and
 *   run once it commits, before the write's caller goes on; dropped when it rolls back (a
 *   deadlock retry drops the failed attempt's). Published with a manager outside any
 *   Transactions transaction, they run at once after the in-transaction handlers.
 * - `on(name, h, order?)` — events of `O`, run when `emit`ted.
 *
 * After-commit and `on` handlers that return no promise stay synchronous (no promise per publish on
 * the hot paths); one that returns a promise is awaited before the next. Their failures are logged.
 */
export class EventBus<T extends object, O extends object> {
  private readonly inTx = new Map<keyof T, Subscribers<AnyInTransaction>>();
  private readonly after = new Map<keyof T | keyof O, Subscribers<AnyAfterCommit>>();

  constructor(
    private readonly tx: Pick<Transactions, 'afterCommit'>,
    private readonly log: Logger,
  ) {}

  /** Subscribes `handler` to run inside each transaction that publishes `name`. */
  inTransaction<K extends keyof T>(name: K, order: number, handler: InTransactionHandler<T[K]>): void {
    add(this.inTx, name, order, handler);
  }

  /** Subscribes `handler` to run once each transaction that published `name` has committed. */
  afterCommit<K extends keyof T>(name: K, handler: AfterCommitHandler<T[K]>, order = 0): void {
    add(this.after, name, order, handler);
  }

  /** Subscribes `handler` to an event published outside any transaction. */
  on<K extends keyof O>(name: K, handler: AfterCommitHandler<O[K]>, order = 0): void {
    add(this.after, name, order, handler);
  }

  /**
   * Publishes `name` in the transaction `em` belongs to: its in-transaction handlers run now, in
   * order (the first throw stops them and is the publisher's), its after-commit ones are queued.
   */
  async publish<K extends keyof T>(em: EntityManager, name: K, payload: T[K]): Promise<void> {
    const inTx = this.inTx.get(name);
    if (inTx) for (const handle of inTx.handlers) await handle(em, payload);
    const after = this.after.get(name);
    if (after) await this.tx.afterCommit(em, this.runAfter, after.handlers, payload);
  }

  /** Publishes an event outside any transaction: its handlers run now (see the class). */
  emit<K extends keyof O>(name: K, payload: O[K]): void | Promise<void> {
    const after = this.after.get(name);
    return after && this.runAfter(after.handlers, payload);
  }

  /** How many handlers `name` has, of both phases (what the wiring subscribed). */
  handlerCount(name: keyof T | keyof O): number {
    return (this.inTx.get(name as keyof T)?.handlers.length ?? 0) + (this.after.get(name)?.handlers.length ?? 0);
  }

  /** Runs `handlers` from `from` on, synchronously until one returns a promise. Never throws. */
  private readonly runAfter = (handlers: readonly AnyAfterCommit[], payload: unknown, from = 0): void | Promise<void> => {
    for (let i = from; i < handlers.length; i++) {
      let pending: void | Promise<void>;
      try {
        pending = handlers[i](payload);
      } catch (e) {
        this.failed(e);
        continue;
      }
      // A handler written as an expression may return what it called returns (a counter's inc): only a promise is awaited.
      if (pending instanceof Promise) {
        return pending.then(
          () => this.runAfter(handlers, payload, i + 1),
          (e: unknown) => {
            this.failed(e);
            return this.runAfter(handlers, payload, i + 1);
          },
        );
      }
    }
  };

  private failed(e: unknown): void {
    this.log.error({ err: e }, 'an event handler failed after its transaction committed');
  }
}

function add<K, H>(map: Map<K, Subscribers<H>>, name: K, order: number, handler: H): void {
  let s = map.get(name);
  if (!s) map.set(name, (s = { orders: [], handlers: [] }));
  let at = s.orders.length;
  while (at > 0 && s.orders[at - 1] > order) at--;
  s.orders.splice(at, 0, order);
  s.handlers.splice(at, 0, handler);
}
