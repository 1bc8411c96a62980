// npm run projections:rebuild -- [--help] [name ...]   (no name: every projection)
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { ALL_EVENT_DEFINITIONS } from '../event-catalog.js';
import { ALL_PROJECTIONS } from '../projection-catalog.js';
import { JsonLogger } from '../shared/logging/json-logger.js';
import { RebuildRefused, rebuildProjections } from './rebuild.js';

const USAGE = `Usage: npm run projections:rebuild -- [name ...]

Replays the whole event log into the named projections (no name: every projection), on the
stores DATA_DIR (or EVENTSTORE_URL / MONGODB_URL) configures. Stop the service first.

Options:
  -h, --help   print this help and rebuild nothing

Projections: ${ALL_PROJECTIONS.map((p) => p.name).join(', ') || '(none)'}
`;

/** Flags parsed strictly: an unknown one (a typo of --help) stops the command instead of rebuilding everything. */
function parse(): { help: boolean; names: string[] } | null {
  try {
    const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { help: values.help === true, names: positionals };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return null;
  }
}

const args = parse();
if (!args) process.exit(2);
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
try {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  if (ALL_PROJECTIONS.length === 0) logger.warn('the service has no projections registered yet: nothing to rebuild');
  const reports = await rebuildProjections({ config, projections: ALL_PROJECTIONS, events: ALL_EVENT_DEFINITIONS, names: args.names, logger });
  for (const r of reports) process.stdout.write(`${r.name} v${r.version}: ${r.events} events in ${r.seconds.toFixed(1)} s (${r.eventsPerSecond}/s)\n`);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError || error instanceof RebuildRefused || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
