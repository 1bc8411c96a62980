import { parentPort, workerData } from 'node:worker_threads';
import type { AppConfig } from '../../config/app-config.js';
import type { FromReaderThread, ReaderThreadData, ToReaderThread } from '../read-store/reader-threads.read-store.js';
import { openReadStore } from './store-factory.js';

/**
 * A reader thread (ADR 33): answers the main thread's queries from its own connection to the read
 * store (with encryption at rest, its own key store too), one at a time in the order they came.
 */
const port = parentPort;
if (!port) throw new Error('reader-thread.worker.js runs as a worker thread of the service');
const config = (workerData as ReaderThreadData).config as AppConfig;
// never a checkpointing writer: the projection worker's connection keeps the file tidy
const store = await openReadStore(config, { writer: false });
port.postMessage({ id: 0, ready: true } satisfies FromReaderThread);

port.on('message', (message: ToReaderThread) => {
  if (message.op === 'close') {
    void store.close().finally(() => port.close());
    return;
  }
  const answer = (() => {
    switch (message.op) {
      case 'find':
        return store.find(...message.args);
      case 'count':
        return store.count(...message.args);
      case 'get':
        return store.get(...message.args);
      case 'getMany':
        return store.getMany(...message.args).then((found) => [...found.entries()]);
      case 'ensureCollection':
        return store.ensureCollection(...message.args);
    }
  })();
  answer.then(
    (value) => port.postMessage({ id: message.id, json: JSON.stringify(value ?? null) } satisfies FromReaderThread),
    (error: unknown) => {
      const { name, message: text } = error instanceof Error ? error : { name: 'Error', message: String(error) };
      port.postMessage({ id: message.id, error: { name, message: text } } satisfies FromReaderThread);
    },
  );
});
