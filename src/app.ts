import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config';
import { Clock, systemClock } from './common/clock';
import { createLogger } from './common/logger';
import { assertMigrated, createDataSource, migrate } from './database/data-source';
import { applyDatabaseLimits } from './database/pool-limits';
import { setJsonInputLimits } from './graphql/json-input';
import { createSchema } from './graphql/schema';
import { errorLogPlugin, formatError } from './graphql/format-error';
import { inputPathPlugin } from './graphql/input-paths';
import { armor } from './graphql/hardening';
import { withTimeBudget } from './graphql/request-state';
import { knownOperationNames, metricsPlugin } from './observability/metrics.plugin';
import { createMetricsServer } from './observability/metrics.http';
import { Tracing } from './observability/tracing';
import { traceDatabase } from './observability/tracing.database';
import { tracingPlugin, withOperationSpans } from './observability/tracing.graphql';
import type { GqlContext } from './graphql/context';
import { closeHttpServer, createHttpServer } from './http/http-server';
import { createServices, Services } from './services';
import type { RulePackOptions } from './rules/rule-pack.loader';

export interface AppOptions {
  clock?: Clock;
  log?: Logger;
  /** Run pending migrations before serving (npm start, tests). */
  migrate?: boolean;
  /** How rule packs are read: custom operators beyond json-rules-engine's (tests inject one). */
  rulePack?: RulePackOptions;
}

export interface App {
  url: string;
  server: http.Server;
  services: Services;
  /** Null when tracing is off. */
  tracing: Tracing | null;
  close(): Promise<void>;
}

/**
 * Boots the service: database → migrations → rule pack → GraphQL → HTTP. The tests use this
 * too, against the real HTTP server. A bad rule pack refuses to start, naming file and rule.
 * With `config.tracing`, every layer is instrumented here, once; without, nothing is.
 */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel, undefined, { traceIds: config.tracing !== null });
  const tracing = config.tracing ? Tracing.start(config.tracing, log) : null;
  const ds = createDataSource(config.database, config.databaseReplicas);
  try {
    await ds.initialize();
    if (tracing) traceDatabase(ds, tracing);
    if (options.migrate) {
      const ran = await migrate(ds);
      if (ran.length) log.info({ migrations: ran }, 'migrations applied');
    } else {
      await assertMigrated(ds);
    }
    await applyDatabaseLimits(ds, config.databaseLimits); // after migrations, which may run long
    setJsonInputLimits(config.jsonInput);
    const services = createServices(config, ds, options.clock ?? systemClock, log, options.rulePack, tracing);
    await services.ruleSets.init();
    const schema = await createSchema();
    const limits = armor(config, schema);
    const timed = withTimeBudget(schema, config.graphql.timeoutMs);
    const apollo = new ApolloServer<GqlContext>({
      schema: tracing ? withOperationSpans(timed) : timed,
      parseOptions: limits.parseOptions,
      validationRules: limits.validationRules,
      allowBatchedHttpRequests: config.graphql.maxBatch > 0,
      formatError,
      includeStacktraceInErrorResponses: false,
      introspection: config.introspection,
      csrfPrevention: true,
      // `triage serve` owns SIGTERM/SIGINT (drain, then exit); Apollo's own handlers would stop it mid-drain.
      stopOnTerminationSignals: false,
      plugins: [
        errorLogPlugin(),
        inputPathPlugin(),
        ...(tracing ? [tracingPlugin(tracing)] : []),
        metricsPlugin(services.metrics, knownOperationNames(schema, config.metrics.operationNames)),
        ...limits.plugins,
        // No cache hints are served (every operation is private and most are mutations), and the
        // default cache-control plugin would wrap every field resolver of every request.
        ApolloServerPluginCacheControlDisabled(),
        // Inline traces are for federated subgraphs, which this schema is not; installed implicitly, it is still asked for a listener on every operation.
        ApolloServerPluginInlineTraceDisabled(),
        ...(config.nodeEnv === 'production' ? [ApolloServerPluginLandingPageDisabled()] : []),
      ],
    });
    await apollo.start();
    const server = createHttpServer(apollo, services, limits, tracing);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    const metricsServer = config.metrics.port ? createMetricsServer(services.metrics, config.metrics.token) : null;
    if (metricsServer) await new Promise<void>((resolve) => metricsServer.listen(config.metrics.port, config.host, () => resolve()));
    // Off the request path: deadlines that act, and webhook deliveries (both stop in close()).
    services.escalation.scheduler.start();
    services.webhooks.worker.start();
    log.info(
      { url: `${url}/graphql`, metrics: metricsServer ? `port ${config.metrics.port}` : `${url}/metrics`, database: config.databaseUrlForDisplay },
      'triage serving',
    );
    let closed = false;
    return {
      url,
      server,
      services,
      tracing,
      async close() {
        if (closed) return;
        closed = true;
        await closeHttpServer(server); // every request in flight answered first
        metricsServer?.close();
        await apollo.stop();
        await services.escalation.scheduler.stop(); // a tick under way finishes its marks
        await services.webhooks.worker.stop(); // deliveries in flight are handed back, not lost
        await services.ruleAdmin.shadow.close(); // queued shadow decisions still write to the database
        await ds.destroy();
        await tracing?.shutdown(); // last: the spans of everything above are exported
      },
    };
  } catch (e) {
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    await tracing?.shutdown().catch(() => undefined);
    throw e;
  }
}
