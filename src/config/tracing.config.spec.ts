import { ConfigError, loadConfig } from './config';

const DB = { DATABASE_URL: 'sqlite::memory:' };

describe('OTEL_* (tracing)', () => {
  it('is off without an endpoint, and when OTEL_SDK_DISABLED is true', () => {
    expect(loadConfig(DB).tracing).toBeNull();
    expect(loadConfig({ ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
  });

  it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT and takes the traces endpoint as it is', () => {
    expect(loadConfig({ ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({ url: 'http://collector:4318/v1/traces', serviceName: 'triage', sampleRatio: 1 });
    const both = { ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/otlp/traces', OTEL_SERVICE_NAME: 'triage-eu' };
    expect(loadConfig(both).tracing).toMatchObject({ url: 'https://b/otlp/traces', serviceName: 'triage-eu' });
  });

  it('samples a share of new traces with parentbased_traceidratio', () => {
    const env = { ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' };
    expect(loadConfig(env).tracing!.sampleRatio).toBe(0.25);
    expect(loadConfig({ ...env, OTEL_TRACES_SAMPLER: 'parentbased_always_off' }).tracing!.sampleRatio).toBe(0);
  });

  it('refuses at boot what it cannot use', () => {
    const on = { ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    for (const env of [{ ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, { ...on, OTEL_TRACES_SAMPLER: 'jaeger_remote' },
      { ...on, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }, { ...on, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
    }
  });
});
