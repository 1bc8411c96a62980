// npm run dedupe:rekey   (once, after upgrading to keyed de-duplication hashes, ADR 22)
import { ConfigError, loadConfig } from '../config/app-config.js';
import { ALL_EVENT_DEFINITIONS } from '../event-catalog.js';
import { RekeyRefused, rekeyConfigured } from './rekey-dedupe-keys.js';

const USAGE = `Usage: npm run dedupe:rekey

Moves every de-duplication key stream written before keyed hashes (unkeyed SHA-256 of the ID
number) to the stream of its keyed hash (HMAC-SM3 with the deployment secret: PERSONAL_DATA_HASH_KEY_FILE,
PERSONAL_DATA_HASH_SECRET, or the generated <DATA_DIR>/secrets/personal-data-hash.key). Open
duplicate cases follow their key; the old streams are released by events. Safe to run again.
Stop the service first when it runs on the embedded store.
`;

if (process.argv.slice(2).some((a) => a === '-h' || a === '--help')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
try {
  const report = await rekeyConfigured(loadConfig(), ALL_EVENT_DEFINITIONS);
  process.stdout.write(`keys: ${report.keys}, claimed on keyed streams: ${report.claimed}, released from unkeyed streams: ${report.released}, cases moved: ${report.casesRekeyed}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError || error instanceof RekeyRefused || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
