import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { type PersonalDataReadEntry, type ReadAuditSink, personalDataShown } from '../personal-data/read-audit.js';
import { registerReadAudit } from './read-audit-hook.js';
import type { ActorRequest } from './request-context.js';

const child = { recordId: '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7', institutionCode: '1141010001', divisionCode: '410102' };

/** The edge rule (ADR 22): an answer that showed personal data leaves only once its read is recorded. */
describe('read audit at the HTTP edge', () => {
  let app: FastifyInstance;
  afterEach(() => app.close());

  async function serve(sink: ReadAuditSink): Promise<FastifyInstance> {
    app = Fastify();
    app.addHook('onRequest', async (request) => {
      (request as ActorRequest).actor = { accountId: 'acc', role: 'business', organisationId: '1141010001' };
    });
    registerReadAudit(app, sink);
    app.get('/children/:id', async () => {
      personalDataShown([child]);
      return { name: '钱多多' };
    });
    app.get('/masked', async () => ({ name: '钱**' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app;
  }

  // a real socket: light-my-request's inject does not load under jest's ESM mode
  const get = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}${path}`);
    return { statusCode: response.status, body: await response.text() };
  };

  it('records the read before answering: reader, route pattern (never the URL), children', async () => {
    const recorded: PersonalDataReadEntry[] = [];
    let answeredBeforeRecorded = false;
    await serve({
      record: async (entry) => {
        await new Promise((r) => setTimeout(r, 20));
        recorded.push(entry);
      },
    });
    const answer = get('/children/x?name=' + encodeURIComponent('钱多多')).then((r) => {
      answeredBeforeRecorded = recorded.length === 0;
      return r;
    });
    expect((await answer).statusCode).toBe(200);
    expect(answeredBeforeRecorded).toBe(false);
    expect(recorded).toEqual([expect.objectContaining({ route: 'GET /children/:id', subjects: [child], reader: expect.objectContaining({ accountId: 'acc' }) })]);
    await get('/masked');
    expect(recorded).toHaveLength(1);
  });

  it('a read that could not be recorded is not answered', async () => {
    await serve({ record: () => Promise.reject(new Error('event store unavailable')) });
    const answer = await get('/children/x');
    expect(answer.statusCode).toBe(500);
    expect(answer.body).not.toContain('钱多多');
  });
});
