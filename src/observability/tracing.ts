import {
  Attributes,
  context,
  diag,
  DiagLogLevel,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanStatusCode,
  trace,
  Tracer,
} from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { TracingConfig } from '../config/tracing.config';
import { INSTANCE_ID } from '../common/instance';
import { version as serviceVersion } from '../../package.json';

/** The attributes every Triage span may carry beyond OpenTelemetry's own conventions. */
export const ATTR = {
  requestId: 'triage.request_id',
  outcome: 'triage.outcome',
  rulesVersion: 'triage.rules.version',
  rulesFired: 'triage.rules.fired',
  severity: 'triage.severity',
  category: 'triage.category',
  refundSteps: 'triage.refund.steps',
  dbReplica: 'triage.db.replica',
} as const;

/** Registered once per process while at least one app traces (the test suites boot several). */
let globalUsers = 0;

/**
 * OpenTelemetry tracing: a tracer provider whose batch span processor exports over OTLP/HTTP
 * (JSON). Decided once at boot (`config.tracing`): when off no Tracing exists, the SDK is not
 * even loaded, and nothing is registered or wrapped — the request path runs as if this file
 * did not exist. When on, the instrumentation lives beside this file: tracing.http.ts,
 * tracing.graphql.ts, tracing.database.ts, tracing.rules.ts.
 */
export class Tracing {
  private constructor(
    readonly tracer: Tracer,
    private readonly provider: { forceFlush(): Promise<void>; shutdown(): Promise<void> },
  ) {}

  /**
   * Starts the provider, and registers the AsyncLocalStorage context manager (so a span started
   * in a request is the parent of those its awaited work starts), the W3C `traceparent`
   * propagator and a diagnostic logger that reports failed exports as warnings.
   */
  static start(config: TracingConfig, log: Logger): Tracing {
    // Required here, not imported at the top: a service that does not trace never loads the SDK.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { TracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } =
      require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    const { defaultResource, resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
    const { W3CTraceContextPropagator } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
    const semconv = require('@opentelemetry/semantic-conventions') as typeof import('@opentelemetry/semantic-conventions');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const provider = new TracerProvider({
      resource: defaultResource().merge(
        resourceFromAttributes({
          [semconv.ATTR_SERVICE_NAME]: config.serviceName,
          [semconv.ATTR_SERVICE_VERSION]: serviceVersion,
          [semconv.ATTR_SERVICE_INSTANCE_ID]: INSTANCE_ID,
        }),
      ),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
      // Headers, timeout and compression come from OTEL_EXPORTER_OTLP_* as the exporter reads them.
      spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.url }) })],
    });
    if (globalUsers++ === 0) {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
      // Outside any span: an export runs in the context of the span that started its batch, whose ids would mislead here.
      const warn = (message: string) => context.with(ROOT_CONTEXT, () => log.warn({ source: 'opentelemetry' }, message));
      diag.setLogger(
        { error: warn, warn, info: () => undefined, debug: () => undefined, verbose: () => undefined },
        { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
      );
    }
    log.info({ url: config.url, serviceName: config.serviceName, sampleRatio: config.sampleRatio }, 'tracing: exporting spans over OTLP/HTTP');
    return new Tracing(provider.getTracer('triage', serviceVersion), provider);
  }

  /**
   * Runs `work` in a new span, a child of the active one and active itself meanwhile, and ends
   * it. A throw marks the span as an error with the error's type only: messages can quote input.
   */
  inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
    return this.tracer.startActiveSpan(name, { attributes }, async (span) => {
      try {
        return await work(span);
      } catch (e) {
        markFailed(span, e);
        throw e;
      } finally {
        span.end();
      }
    });
  }

  /** Exports every span ended so far (the tests call it before reading what arrived). */
  forceFlush(): Promise<void> {
    return this.provider.forceFlush();
  }

  /** Exports what is left and stops; the last app to stop releases the process-wide registrations. */
  async shutdown(): Promise<void> {
    await this.provider.shutdown();
    if (--globalUsers === 0) {
      context.disable();
      propagation.disable();
      diag.disable();
    }
  }
}

/**
 * Marks a span as failed with what is safe to export: the error's code (a domain code such as
 * CONFLICT, or a driver code such as ER_DUP_ENTRY) or its class name, never its message — a
 * database or validation message can quote the values a customer sent.
 */
export function markFailed(span: Span, e: unknown): void {
  const err = e as { code?: unknown; driverError?: { code?: unknown }; name?: unknown } | null;
  const type = String(err?.driverError?.code ?? err?.code ?? err?.name ?? 'Error');
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

/**
 * The active span's ids as log fields, so a log line leads to its trace: the logger's mixin
 * when tracing is on (createLogger's `traceIds`). Empty outside any span.
 */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const ids = trace.getSpan(context.active())?.spanContext();
  return ids && isSpanContextValid(ids) ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}
