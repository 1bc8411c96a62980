import type { LoggerService } from '@nestjs/common';
import { type DestinationStream, type Logger as Pino, pino, stdSerializers } from 'pino';
import { writeSync } from 'node:fs';
import { PERSONAL_FIELDS, scrubNumbers } from './redaction.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The port every caller logs through; the adapter below is pino. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Personal fields at the top of a log line and up to three levels inside it: `name`, `*.name`, `*.*.name`, `*.*.*.name`. */
const REDACT_PATHS = PERSONAL_FIELDS.flatMap((field) => ['', '*.', '*.*.', '*.*.*.'].map((prefix) => `${prefix}${field}`));

/**
 * Structured logs: one JSON object per line (pino), so log shippers need no parsing rules.
 * Lines keep the shape they had (`time` ISO, `level` as a word, `msg`, then the fields). An
 * Error in a field is written with its type, message and stack (JSON.stringify wrote `{}`), and
 * children's personal fields are replaced by "[redacted]" wherever a caller put them. Also
 * serves as Nest's logger, so framework messages come out in the same shape.
 */
export class JsonLogger implements Logger, LoggerService {
  private readonly pino: Pino;

  constructor(level: LogLevel = 'info', out?: (line: string) => void) {
    // written synchronously to stdout as pino.destination({ sync: true }) would, after the scrub
    const destination: DestinationStream = out
      ? { write: (line: string) => out(scrubNumbers(line.endsWith('\n') ? line.slice(0, -1) : line)) }
      : { write: (line: string) => void writeSync(1, scrubNumbers(line)) };
    this.pino = pino(
      {
        level,
        base: undefined,
        messageKey: 'msg',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      },
      destination,
    );
  }

  private write(level: LogLevel, message: unknown, fields: Record<string, unknown> = {}): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : String(message);
    const entry: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) entry[key] = value instanceof Error ? stdSerializers.err(value) : value;
    if (message instanceof Error && !('error' in entry)) entry['error'] = stdSerializers.err(message);
    this.pino[level](entry, text);
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  // LoggerService: Nest passes (message, ...optionalParams): the last string is the context, a
  // string before it on error() the stack
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, nestFields(params));
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, nestFields(params));
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('error', message, nestFields(params));
  }
}

function nestFields(params: unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const rest = [...params];
  if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') fields['context'] = rest.pop();
  const stack = rest.find((p): p is string => typeof p === 'string' && p.includes('\n    at '));
  if (stack) fields['stack'] = stack;
  const error = rest.find((p): p is Error => p instanceof Error);
  if (error) fields['error'] = error;
  return fields;
}
