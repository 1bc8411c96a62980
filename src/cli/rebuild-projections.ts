// npm run projections:rebuild -- [name ...]   (no name: every projection)
import { ConfigError, loadConfig } from '../config/app-config.js';
import { ALL_EVENT_DEFINITIONS } from '../event-catalog.js';
import { ALL_PROJECTIONS } from '../projection-catalog.js';
import { JsonLogger } from '../shared/logging/json-logger.js';
import { rebuildProjections } from './rebuild.js';

try {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  if (ALL_PROJECTIONS.length === 0) logger.warn('the service has no projections registered yet: nothing to rebuild');
  const reports = await rebuildProjections({ config, projections: ALL_PROJECTIONS, events: ALL_EVENT_DEFINITIONS, names, logger });
  for (const r of reports) process.stdout.write(`${r.name} v${r.version}: ${r.events} events in ${r.seconds.toFixed(1)} s (${r.eventsPerSecond}/s)\n`);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
