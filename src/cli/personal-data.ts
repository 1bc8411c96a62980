// npm run personal-data -- <encrypt | seal-files | rotate-key | verify-log | rehash-search>
import { ConfigError, loadConfig } from '../config/app-config.js';
import { ALL_EVENT_DEFINITIONS } from '../event-catalog.js';
import { ALL_PROJECTIONS } from '../projection-catalog.js';
import { JsonLogger } from '../shared/logging/json-logger.js';
import { systemClock } from '../shared/time/clock.js';
import { PersonalDataRefused, encryptEventLog, retireLegacySearchSecret, rotateMasterKey, sealStoredFiles, vacuumReadModels, verifyLog } from './personal-data-migration.js';
import { RebuildRefused, rebuildProjections } from './rebuild.js';

const USAGE = `Usage: npm run personal-data -- <command>

Commands (stop the service first; DATA_DIR and the PERSONAL_DATA_* settings as the service's):
  encrypt      encrypt a data folder written without encryption at rest: seals the personal
               fields of every stored event, links the hash chain again, rebuilds the read
               models and vacuums both files, and seals the uploaded files (a second run
               changes nothing)
  seal-files   seal the uploaded files (evidence, accident proof) stored before files were
               sealed at rest, each with its child's data key; a plain file of an erased child
               is removed (resumable: sealed files are left as they are)
  rotate-key   re-wrap every data key under PERSONAL_DATA_KEY_FILE; the old master key file(s)
               in PERSONAL_DATA_PREVIOUS_KEY_FILES; events and read models are not touched
  verify-log   check the hash chain of the embedded event log; exit code 1 and the first
               broken link when an event was changed, deleted or reordered on disk
  rehash-search
               key the read models' search hashes by the deployment secret
               (PERSONAL_DATA_HASH_SECRET / _KEY_FILE) instead of the older secret kept in
               keys.sqlite: destroys that secret and rebuilds the read models
`;

function writeFilesReport(report: { sealed: number; removed: number; already: number }): void {
  process.stdout.write(`files sealed: ${report.sealed}, removed (child erased): ${report.removed}, already sealed: ${report.already}\n`);
}

const command = process.argv[2];
if (!command || command === '-h' || command === '--help') {
  process.stdout.write(USAGE);
  process.exit(command ? 0 : 2);
}
try {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  if (command === 'encrypt') {
    const report = await encryptEventLog(config);
    process.stdout.write(`events: ${report.events}, sealed: ${report.sealed}, children (data keys): ${report.subjects}, chain head: ${report.chainHead}\n`);
    await rebuildProjections({ config, projections: ALL_PROJECTIONS, events: ALL_EVENT_DEFINITIONS, names: [], logger });
    vacuumReadModels(config);
    process.stdout.write('read models rebuilt encrypted\n');
    writeFilesReport(await sealStoredFiles(config));
  } else if (command === 'seal-files') {
    writeFilesReport(await sealStoredFiles(config));
  } else if (command === 'rehash-search') {
    const { retired } = retireLegacySearchSecret(config, systemClock.now().toISOString());
    await rebuildProjections({ config, projections: ALL_PROJECTIONS, events: ALL_EVENT_DEFINITIONS, names: [], logger });
    vacuumReadModels(config);
    process.stdout.write(retired ? 'old search secret destroyed; read models rebuilt with the deployment secret\n' : 'search hashes already keyed by the deployment secret; read models rebuilt\n');
  } else if (command === 'rotate-key') {
    const { rewrapped, total } = rotateMasterKey(config);
    process.stdout.write(`data keys re-wrapped: ${rewrapped} of ${total}\n`);
  } else if (command === 'verify-log') {
    const report = verifyLog(config);
    if (report.broken) {
      const b = report.broken;
      process.stdout.write(`BROKEN at position ${b.position} (stream ${b.streamId}, revision ${b.revision}, ${b.type}): ${report.checked} events before it are intact\n`);
      process.exit(1);
    }
    process.stdout.write(`intact: ${report.checked} events, chain head ${report.head}\n`);
  } else {
    process.stderr.write(`unknown command ${command}\n\n${USAGE}`);
    process.exit(2);
  }
} catch (error) {
  const known = error instanceof ConfigError || error instanceof PersonalDataRefused || error instanceof RebuildRefused;
  process.stderr.write(`${known || error instanceof Error ? (error as Error).message : String(error)}\n`);
  process.exit(1);
}
