import { Worker } from 'node:worker_threads';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DomainError, type DomainErrorKind, type FieldError } from '../../../shared/domain/domain-error.js';
import { compiledWorkerScript } from '../../../shared/infrastructure/worker-script.js';
import { type TemplateDataRow, readTemplateRows } from './template-rows.js';

export interface TemplateReaderJob {
  jobId: number;
  file: Uint8Array;
}

export type TemplateReaderReply =
  | { jobId: number; type: 'rows'; rows: TemplateDataRow[] }
  | { jobId: number; type: 'done' }
  // a DomainError does not survive structured cloning as one: its fields cross, and are rebuilt
  | { jobId: number; type: 'refused'; refusal: { kind: DomainErrorKind; code: string; message: string; errors: FieldError[]; details: Record<string, unknown> } }
  | { jobId: number; type: 'crashed'; message: string };

/**
 * Reads uploaded templates in a worker thread (ADR 8). Reading a large workbook with exceljs is
 * the biggest part of an import's work; in the worker it runs on the second core while this
 * thread validates and decides each row as it arrives, so the appends can start the moment the
 * file has been read. One long-lived worker serves every upload; without a
 * built worker (TypeScript sources, no dist) the same reading runs on this thread.
 */
@Injectable()
export class TemplateReader implements OnModuleDestroy {
  private readonly script = compiledWorkerScript(import.meta.url, './template-reader.worker.js');
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, (reply: TemplateReaderReply) => void>();
  private nextJob = 1;

  /** Every data row of the template (readTemplateRows), in file order. */
  read(file: Buffer): AsyncIterable<TemplateDataRow> {
    return this.script ? this.readInWorker(file) : readTemplateRows(file);
  }

  /** Starts the worker ahead of the first upload, so that upload does not wait for it to load. */
  warmUp(): void {
    if (this.script) this.ensureWorker();
  }

  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private async *readInWorker(file: Buffer): AsyncGenerator<TemplateDataRow> {
    const worker = this.ensureWorker();
    const jobId = this.nextJob++;
    const replies: TemplateReaderReply[] = [];
    let wake: (() => void) | null = null;
    this.jobs.set(jobId, (reply) => {
      replies.push(reply);
      wake?.();
      wake = null;
    });
    try {
      worker.postMessage({ jobId, file: new Uint8Array(file) } satisfies TemplateReaderJob);
      for (;;) {
        if (replies.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const reply = replies.shift()!;
        if (reply.type === 'rows') yield* reply.rows;
        else if (reply.type === 'done') return;
        else if (reply.type === 'refused') {
          const { kind, code, message, errors, details } = reply.refusal;
          throw new DomainError(kind, code, message, errors, details);
        } else throw new Error(`template reader failed: ${reply.message}`);
      }
    } finally {
      this.jobs.delete(jobId);
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script!);
    worker.unref(); // an idle reader never keeps the process alive
    worker.on('message', (reply: TemplateReaderReply) => this.jobs.get(reply.jobId)?.(reply));
    const fail = (message: string) => {
      if (this.worker === worker) this.worker = null;
      for (const [jobId, deliver] of this.jobs) deliver({ jobId, type: 'crashed', message });
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }
}
