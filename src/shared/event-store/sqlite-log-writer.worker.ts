import { parentPort, workerData } from 'node:worker_threads';
import { type FromLogWriter, SqliteLogWriter, type ToLogWriter } from './sqlite-log-writer.js';

/**
 * The embedded event store's writer thread (ADR 31): writes each group it is sent in one
 * transaction and answers once it is committed (fsynced). The requests' thread meanwhile
 * goes on serving, and collects the next group.
 */
const port = parentPort;
if (!port) throw new Error('sqlite-log-writer.worker.js runs as a worker thread of the event store');
const writer = new SqliteLogWriter((workerData as { file: string }).file);
const post = (message: FromLogWriter): void => port.postMessage(message);

port.on('message', (message: ToLogWriter) => {
  if (message.type === 'close') {
    writer.close();
    port.close();
    return;
  }
  try {
    post({ id: message.id, outcomes: writer.writeAll(message.items, message.recordedAt) });
  } catch (error) {
    const e = error as { name?: string; message?: string; code?: string };
    post({ id: message.id, error: { name: e.name ?? 'Error', message: e.message ?? String(error), ...(e.code ? { code: e.code } : {}) } });
  }
});
