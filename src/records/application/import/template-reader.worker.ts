import { parentPort } from 'node:worker_threads';
import { DomainError } from '../../../shared/domain/domain-error.js';
import { type TemplateDataRow, readTemplateRows } from './template-rows.js';
import type { TemplateReaderJob, TemplateReaderReply } from './template-reader.js';

/**
 * The template reader's worker thread: reads uploads with exceljs's streaming reader, sending
 * the rows' cells back in batches while it reads (see TemplateReader).
 */
const BATCH = 500;
const port = parentPort;
if (!port) throw new Error('template-reader.worker.js runs as a worker thread of the service');
const post = (reply: TemplateReaderReply): void => port.postMessage(reply);

port.on('message', (job: TemplateReaderJob) => void read(job));

async function read({ jobId, file }: TemplateReaderJob): Promise<void> {
  try {
    let rows: TemplateDataRow[] = [];
    for await (const row of readTemplateRows(Buffer.from(file.buffer, file.byteOffset, file.byteLength))) {
      rows.push(row);
      if (rows.length === BATCH) {
        post({ jobId, type: 'rows', rows });
        rows = [];
      }
    }
    if (rows.length > 0) post({ jobId, type: 'rows', rows });
    post({ jobId, type: 'done' });
  } catch (error) {
    if (error instanceof DomainError) {
      post({ jobId, type: 'refused', refusal: { kind: error.kind, code: error.code, message: error.message, errors: error.errors, details: error.details } });
    } else {
      post({ jobId, type: 'crashed', message: error instanceof Error ? error.message : String(error) });
    }
  }
}
