// npm run projections:rebuild -- [--help] [name ...]   (no name: every projection)
import { loadConfig } from '../config/app-config.js';
import { ALL_EVENT_DEFINITIONS } from '../event-catalog.js';
import { ALL_PROJECTIONS } from '../projection-catalog.js';
import { JsonLogger } from '../shared/logging/json-logger.js';
import { commandFailed, commandLine } from './command-line.js';
import { rebuildProjections } from './rebuild.js';

const USAGE = `Usage: npm run projections:rebuild -- [name ...]

Replays the whole event log into the named projections (no name: every projection), on the
stores DATA_DIR (or EVENTSTORE_URL / MONGODB_URL) configures. Stop the service first.

Options:
  -h, --help   print this help and rebuild nothing

Projections: ${ALL_PROJECTIONS.map((p) => p.name).join(', ') || '(none)'}
`;

const { positionals: names } = commandLine(USAGE, {}, true);
try {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  if (ALL_PROJECTIONS.length === 0) logger.warn('the service has no projections registered yet: nothing to rebuild');
  const reports = await rebuildProjections({ config, projections: ALL_PROJECTIONS, events: ALL_EVENT_DEFINITIONS, names, logger });
  for (const r of reports) process.stdout.write(`${r.name} v${r.version}: ${r.events} events in ${r.seconds.toFixed(1)} s (${r.eventsPerSecond}/s)\n`);
} catch (error) {
  commandFailed(error);
}
