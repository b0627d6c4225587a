/** How traces are exported and sampled; see src/observability/tracing.ts. */
export interface TracingConfig {
  /** Where spans are POSTed (OTLP/HTTP, JSON), e.g. http://collector:4318/v1/traces. */
  url: string;
  /** The `service.name` resource attribute. */
  serviceName: string;
  /** The share of traces started here that are kept (0 to 1); a caller's `traceparent` decides for its own. */
  sampleRatio: number;
}

/** OTEL_TRACES_SAMPLER values understood, as the share of new traces each keeps (OTel's spec names). */
const SAMPLERS: Record<string, number | 'arg'> = {
  parentbased_always_on: 1,
  parentbased_always_off: 0,
  parentbased_traceidratio: 'arg',
};

/**
 * Reads OpenTelemetry's standard variables. Tracing is on when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
 * (used as it is) or OTEL_EXPORTER_OTLP_ENDPOINT (`/v1/traces` appended) is set and OTEL_SDK_DISABLED
 * is not true; null means off. Problems are pushed onto `problems`, as loadConfig does.
 */
export function readTracingConfig(env: NodeJS.ProcessEnv, problems: string[]): TracingConfig | null {
  const signal = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const disabled = (env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase();
  if (!['', 'true', 'false'].includes(disabled)) problems.push(`OTEL_SDK_DISABLED="${env.OTEL_SDK_DISABLED}" must be true or false`);
  // The sampler is checked even while tracing is off: a typo must not wait for the day an endpoint is set.
  const sampleRatio = readSampleRatio(env, problems);
  if ((!signal && !base) || disabled === 'true') return null;
  const name = signal ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const url = signal || `${base!.replace(/\/+$/, '')}/v1/traces`;
  if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) problems.push(`${name}="${signal || base}" must be an http:// or https:// URL`);
  return { url, serviceName: env.OTEL_SERVICE_NAME || 'triage', sampleRatio };
}

/** OTEL_TRACES_SAMPLER (and its _ARG) as the share of new traces kept. */
function readSampleRatio(env: NodeJS.ProcessEnv, problems: string[]): number {
  const samplerName = (env.OTEL_TRACES_SAMPLER || 'parentbased_always_on').toLowerCase();
  let sampleRatio = SAMPLERS[samplerName];
  if (sampleRatio === undefined) {
    problems.push(`OTEL_TRACES_SAMPLER="${env.OTEL_TRACES_SAMPLER}" must be one of ${Object.keys(SAMPLERS).join(', ')}`);
    sampleRatio = 1;
  }
  if (sampleRatio === 'arg') {
    const arg = env.OTEL_TRACES_SAMPLER_ARG ?? '1';
    sampleRatio = Number(arg);
    if (arg.trim() === '' || !(sampleRatio >= 0 && sampleRatio <= 1)) {
      problems.push(`OTEL_TRACES_SAMPLER_ARG="${arg}" must be a number from 0 to 1`);
      sampleRatio = 1;
    }
  }
  return sampleRatio;
}
