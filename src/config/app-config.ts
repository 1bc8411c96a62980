import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { LogLevel } from '../shared/logging/json-logger.js';
import { type HolidayOverride, parseHolidayOverride } from '../shared/time/holiday-override.js';
import { type PersonalDataHashConfig, personalDataHashConfig } from './personal-data-config.js';

/** The keyed-hash secret of personal values (issue 21, ADR 22) comes from personal-data-config.ts. */
export interface AppConfig extends PersonalDataHashConfig {
  /** folder of the embedded stores (events.sqlite, read-models.sqlite) */
  dataDir: string;
  host: string;
  port: number;
  /** set: events go to KurrentDB (EventStoreDB's successor) instead of the embedded store, e.g. kurrentdb://localhost:2113?tls=false */
  eventStoreUrl: string | null;
  /** set: read models go to MongoDB instead of the embedded store */
  mongodbUrl: string | null;
  logLevel: LogLevel;
  /** /ready fails while a projection is further behind the log head than this (log positions: one event each on the embedded store) */
  readyMaxLag: number;
  /** default and upper bound of a query's wait for its projections (read-your-writes) */
  consistencyWaitMs: number;
  consistencyWaitMaxMs: number;
  /** the deployment's own level and division: one instance serves one province (or the ministry) */
  deploymentLevel: 'ministry' | 'province';
  deploymentDivision: string;
  /** initial password of the first administrator; unset: generated and printed once at first start */
  bootstrapAdminPassword: string | null;
  /** where projections run: a worker thread (default; uses a second core) or the main thread */
  projectionsThread: 'worker' | 'main';
  /** READ_THREADS: worker threads answering read-store queries beside the request thread (embedded read store only; 0: on the request thread, ADR 33) */
  readThreads: number;
  /** how long shutdown waits for in-flight requests before closing the stores anyway */
  shutdownTimeoutMs: number;
  /** log2 of scrypt's cost N for new password hashes (17: OWASP's minimum); older hashes are upgraded at the next login */
  passwordHashCost: number;
  /** a session ends after this many minutes without a request (besides its 8-hour limit) */
  sessionIdleMinutes: number;
  /** requests per client address and window: POST /auth/login, and every other request without a bearer token */
  rateLimitWindowSeconds: number;
  rateLimitLoginMax: number;
  rateLimitPublicMax: number;
  /** failed logins before growing delays: per account from one address, per account (an hour), per address (an hour) */
  loginFreeFailures: number;
  loginAccountFreeFailures: number;
  loginAddressFreeFailures: number;
  /** the first delay, doubled with each further failure, up to the maximum */
  loginDelayBaseSeconds: number;
  loginDelayMaxSeconds: number;
  /** Fastify's trustProxy: false, true, or the proxies' addresses; decides which client address is limited */
  trustProxy: boolean | string;
  /** the bearer token a Prometheus scraper sends to GET /metrics; unset: /metrics is refused */
  metricsToken: string | null;
  /** CORS_ORIGINS: the browser origins (scheme://host[:port]) allowed to call the API; none by default */
  corsOrigins: string[];
  /** the operator's holiday file (HOLIDAYS_FILE), read and checked at start: years the chinese-days package does not cover yet */
  holidays: HolidayOverride | null;
  /** PERSONAL_DATA_ENCRYPTION (on by default): children's personal fields sealed at rest with a data key per child (ADR 23) */
  personalDataEncryption: boolean;
  /** PERSONAL_DATA_KEY_FILE: the master key (64 hex digits) wrapping the data keys; unset: DATA_DIR/master.key, made at first start */
  personalDataKeyFile: string | null;
  /** PERSONAL_DATA_PREVIOUS_KEY_FILES: earlier master keys, comma-separated, still unwrapping until `personal-data rotate-key` re-wraps */
  personalDataPreviousKeyFiles: string[];
}

/**
 * Reader threads only where cores are left over: one core serves requests, one applies projections
 * (ADR 8). On two cores a reader thread only competes with both and made the review queue slower
 * (ADR 33, measured); at most 4, as the request thread remains the bound past that.
 */
const DEFAULT_READ_THREADS = Math.max(0, Math.min(4, availableParallelism() - 2));

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks every setting at start; all problems are reported at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${raw} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, schemes: string[]): string | null => {
    const raw = env[name];
    if (raw === undefined || raw === '') return null;
    let scheme: string;
    try {
      scheme = new URL(raw).protocol.replace(':', '');
    } catch {
      problems.push(`${name}=${raw} is not a URL (expected ${schemes.map((s) => `${s}://…`).join(' or ')})`);
      return null;
    }
    if (!schemes.includes(scheme)) problems.push(`${name} must start with ${schemes.map((s) => `${s}://`).join(' or ')}, got ${scheme}://`);
    return raw;
  };
  const levels: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const logLevel = (env['LOG_LEVEL'] ?? 'info') as LogLevel;
  if (!levels.includes(logLevel)) problems.push(`LOG_LEVEL=${env['LOG_LEVEL']} must be one of ${levels.join(', ')}`);

  const deploymentLevel = (env['DEPLOYMENT_LEVEL'] || 'province') as AppConfig['deploymentLevel'];
  if (deploymentLevel !== 'province' && deploymentLevel !== 'ministry') problems.push(`DEPLOYMENT_LEVEL=${env['DEPLOYMENT_LEVEL']} must be province or ministry`);
  const deploymentDivision = env['DEPLOYMENT_DIVISION'] || (deploymentLevel === 'ministry' ? '000000' : '410000');
  if (deploymentLevel === 'ministry' ? deploymentDivision !== '000000' : !/^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5])0000$/.test(deploymentDivision)) {
    problems.push(`DEPLOYMENT_DIVISION=${deploymentDivision} must be a province code such as 410000 (or 000000 for the ministry)`);
  }
  const bootstrapAdminPassword = env['BOOTSTRAP_ADMIN_PASSWORD'] || null;
  const projectionsThread = (env['PROJECTIONS_THREAD'] || 'worker') as AppConfig['projectionsThread'];
  if (projectionsThread !== 'worker' && projectionsThread !== 'main') problems.push(`PROJECTIONS_THREAD=${env['PROJECTIONS_THREAD']} must be worker or main`);

  const trustProxyRaw = env['TRUST_PROXY'] ?? '';
  const trustProxy = trustProxyRaw === '' || trustProxyRaw === 'false' ? false : trustProxyRaw === 'true' ? true : trustProxyRaw;
  const holidays = holidayFile(env['HOLIDAYS_FILE'], problems);
  const corsOrigins = (env['CORS_ORIGINS'] ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of corsOrigins) {
    // an origin is exactly what a browser sends: no path, no trailing slash, no wildcard
    if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin)) problems.push(`CORS_ORIGINS: ${origin} is not an origin like https://portal.example.cn or http://localhost:8080`);
  }

  const config: AppConfig = {
    dataDir: resolve(env['DATA_DIR'] || './data'),
    host: env['HOST'] || '0.0.0.0',
    port: int('PORT', 3000, 0, 65535),
    // the KurrentDB client reads kurrentdb://, kurrent:// and kdb:// (and the deprecated esdb://), each with +discover for a cluster
    eventStoreUrl: url('EVENTSTORE_URL', ['kurrentdb', 'kurrentdb+discover', 'kurrent', 'kurrent+discover', 'kdb', 'kdb+discover', 'esdb', 'esdb+discover']),
    mongodbUrl: url('MONGODB_URL', ['mongodb', 'mongodb+srv']),
    logLevel,
    readyMaxLag: int('READY_MAX_LAG', 1000, 0, 100_000_000),
    consistencyWaitMs: int('CONSISTENCY_WAIT_MS', 5000, 0, 60_000),
    consistencyWaitMaxMs: int('CONSISTENCY_WAIT_MAX_MS', 15_000, 0, 120_000),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    projectionsThread,
    readThreads: int('READ_THREADS', DEFAULT_READ_THREADS, 0, 16),
    deploymentLevel,
    deploymentDivision,
    bootstrapAdminPassword,
    passwordHashCost: int('PASSWORD_HASH_COST', 17, 10, 20),
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', 30, 1, 480),
    rateLimitWindowSeconds: int('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600),
    rateLimitLoginMax: int('RATE_LIMIT_LOGIN_MAX', 20, 1, 1_000_000),
    rateLimitPublicMax: int('RATE_LIMIT_PUBLIC_MAX', 120, 1, 1_000_000),
    loginFreeFailures: int('LOGIN_FREE_FAILURES', 5, 1, 1000),
    loginAccountFreeFailures: int('LOGIN_ACCOUNT_FREE_FAILURES', 10, 1, 10_000),
    loginAddressFreeFailures: int('LOGIN_ADDRESS_FREE_FAILURES', 30, 1, 100_000),
    loginDelayBaseSeconds: int('LOGIN_DELAY_BASE_SECONDS', 60, 1, 3600),
    loginDelayMaxSeconds: int('LOGIN_DELAY_MAX_SECONDS', 1800, 1, 86_400),
    trustProxy,
    metricsToken: metricsToken(env['METRICS_TOKEN'], problems),
    holidays,
    corsOrigins,
    ...personalDataHashConfig(env, problems),
    personalDataEncryption: onOff('PERSONAL_DATA_ENCRYPTION', env['PERSONAL_DATA_ENCRYPTION'], true, problems),
    personalDataKeyFile: env['PERSONAL_DATA_KEY_FILE'] ? resolve(env['PERSONAL_DATA_KEY_FILE']) : null,
    personalDataPreviousKeyFiles: (env['PERSONAL_DATA_PREVIOUS_KEY_FILES'] ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '').map((f) => resolve(f)),
  };
  problems.push(...productionKeyProblems(env, config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * In production (NODE_ENV=production, as the Docker image sets) the keys of personal data must be
 * configured: a master key or hash secret made in the data folder would sit beside the data it
 * protects and in its backups (ADR 23). A trial or demo start, without NODE_ENV, still makes its own.
 */
function productionKeyProblems(env: NodeJS.ProcessEnv, config: AppConfig): string[] {
  if (env['NODE_ENV'] !== 'production') return [];
  const problems: string[] = [];
  if (config.personalDataEncryption && !config.personalDataKeyFile) {
    problems.push('NODE_ENV=production needs PERSONAL_DATA_KEY_FILE: the master key of personal data kept outside DATA_DIR (e.g. openssl rand -hex 32 > /run/secrets/master.key)');
  }
  if (!env['PERSONAL_DATA_HASH_SECRET'] && !env['PERSONAL_DATA_HASH_KEY_FILE']) {
    problems.push('NODE_ENV=production needs PERSONAL_DATA_HASH_KEY_FILE (or PERSONAL_DATA_HASH_SECRET): the keyed-hash secret kept outside DATA_DIR (e.g. openssl rand -hex 32 > /run/secrets/hash.key)');
  }
  return problems;
}

function onOff(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on' || raw === 'true') return true;
  if (raw === 'off' || raw === 'false') return false;
  problems.push(`${name}=${raw} must be on or off`);
  return fallback;
}

/** A scraper's token: long enough not to be guessed (at least 16 characters, no spaces). */
function metricsToken(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined || raw === '') return null;
  if (raw.length < 16 || /\s/.test(raw)) {
    problems.push('METRICS_TOKEN must be at least 16 characters without spaces (e.g. openssl rand -hex 24)');
    return null;
  }
  return raw;
}

/** The holiday file's arrangement; a file that cannot be read or is not as documented stops the start. */
function holidayFile(path: string | undefined, problems: string[]): HolidayOverride | null {
  if (path === undefined || path === '') return null;
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    problems.push(`HOLIDAYS_FILE=${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return null;
  }
  const parsed = parseHolidayOverride(text);
  if ('problems' in parsed) {
    problems.push(...parsed.problems.map((p) => `HOLIDAYS_FILE=${path} ${p}`));
    return null;
  }
  return parsed.override;
}
