import type { LoggerService } from '@nestjs/common';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Structured logs: one JSON object per line on stdout, so log shippers need no parsing rules.
 * Also serves as Nest's logger, so framework messages come out in the same shape.
 */
export class JsonLogger implements Logger, LoggerService {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly out: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

  private write(level: LogLevel, message: unknown, fields: Record<string, unknown> = {}): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const entry = { time: new Date().toISOString(), level, msg: typeof message === 'string' ? message : String(message), ...fields };
    this.out(JSON.stringify(entry));
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

  // LoggerService: Nest passes (message, ...optionalParams) where the last string is the context
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
  const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? params[params.length - 1] : undefined;
  return context ? { context } : {};
}
