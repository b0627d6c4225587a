import pino, { Logger } from 'pino';
import type { LogLevel } from '../config/config';
import { activeTraceIds } from '../observability/tracing';

export interface LoggerOptions {
  /** Add the active span's trace_id and span_id to every line (tracing on; off, nothing is added). */
  traceIds?: boolean;
}

/**
 * JSON logs. Authorization headers and keys are redacted wherever they appear, so a key
 * never reaches a log line.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream, { traceIds = false }: LoggerOptions = {}): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'triage' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'key', 'apiKey'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(traceIds ? { mixin: activeTraceIds } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
