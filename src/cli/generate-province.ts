// npm run generate -- --children 5000000 [--data-dir ./province] [options]: a synthetic province in a fresh data folder.
import { ConfigError, loadConfig } from '../config/app-config.js';
import { JsonLogger } from '../shared/logging/json-logger.js';
import { parseStateShares } from './province-model.js';
import { MANIFEST_FILE, generateProvince } from './province-generator.js';

const USAGE = `npm run generate -- [options]   (the deployment's province: DEPLOYMENT_DIVISION, default 410000 河南)
  --children N            children in the province (default 100000; province scale: 5000000)
  --data-dir DIR          a fresh data folder (default: DATA_DIR, else ./data)
  --seed N                the same seed gives the same province (default 2026)
  --duplicates SHARE      share of children whose ID number a child in another kindergarten also has (default 0.01)
  --without-id SHARE      share of children without an ID number (default 0.04)
  --states LIST           record states, e.g. saved=0.03,dedupe-passed=0.04,numbered=0.93 (the defaults)
  --bench-institutions N  kindergartens with activated accounts for the HTTP benchmarks (default 50)
  --bench-saved N         extra saved children in each of them (default 300)
  --bench-passed N        extra de-duplicated children awaiting review in each of them (default 300)
  --chunk N               children decided and appended together, one group commit per step (default 2000)
  --json                  print the manifest as JSON instead of a summary`;

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'json' || name === 'help') args.set(name, 'true');
    else if (inline !== undefined) args.set(name, inline);
    else if (i + 1 < argv.length) args.set(name, argv[++i]!);
    else throw new Error(`--${name} needs a value\n${USAGE}`);
  }
  return args;
}

function number(args: Map<string, string>, name: string, fallback: number, check: (n: number) => boolean): number {
  const raw = args.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isFinite(n) || !check(n)) throw new Error(`--${name} ${raw} is not valid\n${USAGE}`);
  return n;
}

try {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const known = new Set(['children', 'data-dir', 'seed', 'duplicates', 'without-id', 'states', 'bench-institutions', 'bench-saved', 'bench-passed', 'chunk', 'json']);
  const unknown = [...args.keys()].filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`unknown option(s) ${unknown.map((k) => `--${k}`).join(' ')}\n${USAGE}`);
  const env = { ...process.env, ...(args.has('data-dir') ? { DATA_DIR: args.get('data-dir') } : {}) };
  const config = loadConfig(env);
  if (config.deploymentLevel !== 'province') throw new Error('the generator writes one province: run it with DEPLOYMENT_LEVEL=province');
  const share = (n: number) => n >= 0 && n < 1;
  const count = (n: number) => Number.isInteger(n) && n >= 0;
  const started = Date.now();
  const manifest = await generateProvince({
    config,
    children: number(args, 'children', 100_000, (n) => Number.isInteger(n) && n >= 1),
    seed: number(args, 'seed', 2026, count),
    duplicateShare: number(args, 'duplicates', 0.01, share),
    withoutIdShare: number(args, 'without-id', 0.04, share),
    stateShares: parseStateShares(args.get('states')),
    benchInstitutions: number(args, 'bench-institutions', 50, count),
    benchSaved: number(args, 'bench-saved', 300, count),
    benchPassed: number(args, 'bench-passed', 300, count),
    chunkChildren: number(args, 'chunk', 2000, (n) => Number.isInteger(n) && n >= 1),
    logger: new JsonLogger('warn', (line) => process.stderr.write(line + '\n')),
    progress: (line) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`),
  });
  if (args.has('json')) process.stdout.write(`${JSON.stringify(manifest)}\n`);
  else {
    const c = manifest.counts;
    process.stdout.write(
      `\nProvince ${manifest.province} generated into ${config.dataDir} in ${manifest.seconds.total} s (seed ${manifest.seed}):\n` +
        `  ${c.institutions} institutions in ${c.counties} county-level divisions, ${c.children} children (${c.withoutIdNumber} without ID number, ${c.duplicatePairs} ID numbers entered in two kindergartens, ${c.overAge} over-age)\n` +
        `  records by state: ${Object.entries(c.byState).map(([s, n]) => `${s} ${n}`).join(', ')}\n` +
        `  ${c.events} events; read models built by the service's projections\n` +
        `  accounts (password ${manifest.accounts.password}): admin, and the business and review accounts of ${manifest.accounts.bench.length} kindergartens, e.g. ${manifest.accounts.bench[0]?.business ?? '-'}\n` +
        `  details: ${config.dataDir}/${MANIFEST_FILE}; start the service on it with DATA_DIR=${config.dataDir} npm start\n`,
    );
  }
} catch (error) {
  process.stderr.write(`generate failed: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
