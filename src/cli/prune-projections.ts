// npm run projections:prune -- [--dry-run] [--help]
import { loadConfig } from '../config/app-config.js';
import { ALL_PROJECTIONS } from '../projection-catalog.js';
import { JsonLogger } from '../shared/logging/json-logger.js';
import { commandFailed, commandLine } from './command-line.js';
import { pruneProjections } from './prune.js';

const USAGE = `Usage: npm run projections:prune -- [--dry-run]

Drops the read-model collections and checkpoints that older versions of this build's
projections left behind (a new projection version is replayed into new collections; the old
ones stay so that the previous build can still be started). Run it once the new version serves,
with the service stopped, on the stores DATA_DIR (or MONGODB_URL) configures.

Options:
  --dry-run    list what would be dropped, drop nothing
  -h, --help   print this help and drop nothing
`;

const { values } = commandLine(USAGE, { 'dry-run': { type: 'boolean' } });
const dryRun = values['dry-run'] === true;
try {
  const config = loadConfig();
  const report = await pruneProjections({ config, projections: ALL_PROJECTIONS, logger: new JsonLogger(config.logLevel), dryRun });
  const verb = dryRun ? 'would drop' : 'dropped';
  for (const p of report.pruned) process.stdout.write(`${p.name} v${p.version}: ${verb} ${p.collections.join(', ')}\n`);
  if (report.pruned.length === 0) process.stdout.write('no older projection versions: nothing to drop\n');
  for (const key of report.unknown) process.stdout.write(`${key}: not a projection of this build, left alone\n`);
} catch (error) {
  commandFailed(error);
}
