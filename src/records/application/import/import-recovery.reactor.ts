import type { Logger } from '../../../shared/logging/json-logger.js';
import type { ReactorDefinition } from '../../../shared/projections/reactor.js';
import { refusalsLogged } from '../deduplication/deduplication.reactor.js';
import type { ImportCommit } from './import-commit.js';

/**
 * On an event store without multi-stream transactions (EventStoreDB): every started import
 * batch is completed by its request or withdrawn. A batch a crash left started is found here
 * after the restart (the checkpoint never passed it while it ran) and withdrawn as a whole.
 */
export function importRecoveryReactor(imports: ImportCommit, logger: Logger): ReactorDefinition {
  return {
    name: 'record-import-recovery',
    handles: ['RecordImportStarted'],
    react: refusalsLogged(logger, (event) => imports.settle(event)),
  };
}
