import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MachineClient } from '../../shared/access/machine-clients.js';
import { clientAddress } from '../../shared/http/rate-limit.js';
import type { ActorRequest } from '../../shared/http/request-context.js';
import { READ_AUDIT_SINK, type ReadAuditSink, takeShownReads } from '../../shared/personal-data/read-audit.js';
import { ClientTokens } from '../application/client-tokens.js';
import { FeedService } from '../application/feed.service.js';

const WAIT_MS = 1000;
const HEARTBEAT_MS = 15_000;
const BATCH = 500;

/**
 * The live tail as Server-Sent Events: the feed's pages written as they appear, the cursor as
 * each event's id, so EventSource resumes with Last-Event-ID. The token is checked again before
 * every batch: a revocation or rotation ends the stream at once. Streams end at shutdown.
 * A hijacked answer never reaches the read-audit hook's onSend, so each batch's personal-data reads
 * are recorded here before the batch is written; a batch whose reads cannot be recorded is not sent.
 */
@Injectable()
export class FeedStreams implements OnModuleDestroy {
  private readonly open = new Set<AbortController>();

  constructor(private readonly feed: FeedService, private readonly tokens: ClientTokens, private readonly modules: ModuleRef) {}

  private sink(): ReadAuditSink | null {
    try {
      return this.modules.get<ReadAuditSink>(READ_AUDIT_SINK, { strict: false });
    } catch {
      return null;
    }
  }

  async serve(request: FastifyRequest, reply: FastifyReply, client: MachineClient, token: string, from: number): Promise<void> {
    const stop = new AbortController();
    this.open.add(stop);
    request.raw.on('close', () => stop.abort());
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    out.write('retry: 2000\n\n');
    let cursor = from;
    let quietSince = 0;
    try {
      while (!stop.signal.aborted) {
        const current = await this.tokens.verify(token);
        if (!current) {
          out.write('event: revoked\ndata: {"code":"client-token-invalid"}\n\n');
          break;
        }
        const page = await this.feed.page(current ?? client, cursor, BATCH);
        const shown = takeShownReads();
        const reader = (request as ActorRequest).actor;
        const sink = this.sink();
        if (shown.length > 0) {
          if (!sink || !reader) throw new Error('the change feed showed personal data, but no read audit is configured');
          await sink.record({ reader, route: `${request.method} ${request.routeOptions.url ?? ''}`, clientAddress: clientAddress(request), correlationId: String(request.id), subjects: shown });
        }
        for (const entry of page.entries) out.write(`id: ${entry.cursor}\nevent: ${entry.data.kind}\ndata: ${JSON.stringify(entry)}\n\n`);
        cursor = Number(page.next);
        if (page.entries.length > 0) quietSince = 0;
        if (!page.caughtUp) continue;
        await this.feed.waitBeyond(cursor, WAIT_MS);
        quietSince += WAIT_MS;
        if (quietSince >= HEARTBEAT_MS) {
          out.write(': keep-alive\n\n');
          quietSince = 0;
        }
      }
    } finally {
      this.open.delete(stop);
      out.end();
    }
  }

  onModuleDestroy(): void {
    for (const stop of this.open) stop.abort();
  }
}
