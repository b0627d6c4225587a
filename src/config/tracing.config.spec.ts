import { ConfigError, loadConfig } from './config';

const DB = { DATABASE_URL: 'sqlite::memory:' };

describe('OTEL_* (tracing)', () => {
  it('is off without an endpoint, and when OTEL_SDK_DISABLED is true', () => {
    expect(loadConfig(DB).tracing).toBeNull();
    expect(loadConfig({ ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
  });

  it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT and takes the traces endpoint as it is', () => {
    expect(loadConfig({ ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      url: 'http://collector:4318/v1/traces',
      serviceName: 'triage',
      sampleRatio: 1,
    });
    const both = {
      ...DB,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/otlp/traces',
      OTEL_SERVICE_NAME: 'triage-eu',
    };
    expect(loadConfig(both).tracing).toMatchObject({ url: 'https://b/otlp/traces', serviceName: 'triage-eu' });
  });

  it('samples a share of new traces with parentbased_traceidratio', () => {
    const env = { ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' };
    expect(loadConfig(env).tracing!.sampleRatio).toBe(0.25);
    expect(loadConfig({ ...env, OTEL_TRACES_SAMPLER: 'parentbased_always_off' }).tracing!.sampleRatio).toBe(0);
  });

  it('refuses at boot what it cannot use', () => {
    const on = { ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    for (const env of [
      { ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      { ...on, OTEL_TRACES_SAMPLER: 'jaeger_remote' },
      { ...on, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' },
      { ...on, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' },
    ]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
    }
  });

  it('refuses a bad OTEL_SDK_DISABLED or sampler even while tracing is off', () => {
    for (const env of [
      { ...DB, OTEL_SDK_DISABLED: 'maybe' },
      { ...DB, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'maybe' },
      { ...DB, OTEL_TRACES_SAMPLER: 'bogus' },
    ]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
    }
    expect(loadConfig({ ...DB, OTEL_SDK_DISABLED: 'FALSE' }).tracing).toBeNull();
  });
});

describe('HOST and DATABASE_URL', () => {
  it('refuses a HOST that is neither an IP address nor a host name', () => {
    expect(() => loadConfig({ ...DB, HOST: 'not_a_host' })).toThrow(/HOST="not_a_host" must be an IP address/);
    for (const host of ['0.0.0.0', '::', 'localhost', 'triage-1.internal']) expect(loadConfig({ ...DB, HOST: host }).host).toBe(host);
  });

  it('refuses options on a sqlite URL (they would become part of the file name) and names every scheme it takes', () => {
    expect(() => loadConfig({ DATABASE_URL: 'sqlite:/tmp/t.sqlite?pool=5' })).toThrow(/sqlite URLs take no options/);
    expect(() => loadConfig({ DATABASE_URL: 'nope://x' })).toThrow(/expected sqlite:, mysql:\/\/ or mariadb:\/\//);
  });
});
