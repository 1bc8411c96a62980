import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config.js';
import { closeGracefully, createApp } from './bootstrap.js';
import { EventRegistry } from './shared/events/event-registry.js';
import { JsonLogger } from './shared/logging/json-logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nFix the environment variables above and start again (see README, Configuration).\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = new JsonLogger(config.logLevel);
  const app = await createApp({ config, logger });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down: no new requests, draining in-flight commands', { signal });
    // a request that never finishes must not keep the process alive forever
    setTimeout(() => {
      logger.error('shutdown timed out; exiting', { timeoutMs: config.shutdownTimeoutMs });
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    closeGracefully(app).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error: error instanceof Error ? error : String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  logger.info('listening', {
    url: await app.getUrl(),
    docs: '/api/v1/docs',
    dataDir: config.eventStoreUrl && config.mongodbUrl ? null : config.dataDir,
    eventStore: config.eventStoreUrl ? 'eventstoredb' : 'sqlite',
    readStore: config.mongodbUrl ? 'mongodb' : 'sqlite',
  });
  const started = Date.now();
  await app.get(EventRegistry).warmUp().then(
    (compiled) => logger.info('event schemas compiled', { compiled, ms: Date.now() - started }),
    // the command that needs it refuses in the same way; the service keeps serving the others
    (error: unknown) => logger.error('an event schema does not compile', { error: error instanceof Error ? error : String(error) }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
