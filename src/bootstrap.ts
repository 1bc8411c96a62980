import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { type AppModuleOptions, AppModule } from './app.module.js';
import { frameworkErrorOptions, registerProblemOnlyErrors } from './shared/http/framework-errors.js';
import { registerJsonBodyParser } from './shared/http/json-body.js';
import { registerCors } from './shared/http/cors.js';
import { API_TAGS, buildApiDocument } from './shared/http/api-document.js';
import { registerSingleValuedQuery } from './shared/http/query-guard.js';
import { createValidationPipe } from './shared/http/validation.js';
import { registerRateLimits } from './shared/http/rate-limit.js';
import { registerSecurityHeaders } from './shared/http/security-headers.js';
import { registerReadAudit } from './shared/http/read-audit-hook.js';
import { READ_AUDIT_SINK, type ReadAuditSink } from './shared/personal-data/read-audit.js';
import { registerUploadBodies } from './shared/http/upload-body.js';
import { correlationIdFor } from './shared/http/request-context.js';
import { registerAccessLog } from './shared/logging/access-log.js';
import { JsonLogger } from './shared/logging/json-logger.js';
import { registerMetrics } from './shared/metrics/register-metrics.js';

export const API_PREFIX = 'api/v1';
/** JSON bodies; spreadsheets and evidence files use their own multipart limits */
const BODY_LIMIT_BYTES = 1024 * 1024;
const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;
/**
 * Default limits of @fastify/multipart for multipart/form-data requests. readUpload()
 * (shared/http/multipart-upload.ts) passes each route's own limits, which replace these per
 * request; kept at least as large so no reader is stricter than a route asked for.
 */
const MULTIPART_LIMITS = { files: 10, fileSize: 10 * 1024 * 1024, fields: 20, fieldSize: 64 * 1024 };

const closing = new WeakSet<object>();

/**
 * Graceful stop: no new requests (503 while closing), in-flight requests finish, then the
 * shutdown hooks drain commands, stop projections and close the stores. Node closes only the
 * connections idle when close() starts; a connection busy then would stay open for the whole
 * keep-alive timeout, so idle connections are closed again until the server has stopped.
 */
export async function closeGracefully(app: NestFastifyApplication): Promise<void> {
  closing.add(app);
  const server = app.getHttpServer() as { closeIdleConnections?: () => void };
  const sweeper = setInterval(() => server.closeIdleConnections?.(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweeper);
  }
}

/** Builds the HTTP application (used by main.ts, the e2e tests and the benchmarks). */
export async function createApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => correlationIdFor(req.headers['x-correlation-id']),
    return503OnClosing: true,
    // behind a reverse proxy the client's address (rate limits, login throttling) comes from X-Forwarded-For
    trustProxy: options.config.trustProxy,
    // registered once, by the adapter (it also owns the registration Nest's upload interceptors
    // would make). A route that does not read multipart gets no body; Node discards what it sent.
    // File names need no charset option: @fastify/busboy decodes them as UTF-8.
    multipart: { limits: MULTIPART_LIMITS },
    // the router's and Node's HTTP parser's own errors as problem details (issue 20, item 10)
    ...frameworkErrorOptions,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(options), adapter, {
    logger: options.logger instanceof JsonLogger ? options.logger : false,
    bufferLogs: false,
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: 'health', method: RequestMethod.GET }, { path: 'ready', method: RequestMethod.GET }, { path: 'metrics', method: RequestMethod.GET }] });
  app.useGlobalPipes(createValidationPipe());

  const fastify = app.getHttpAdapter().getInstance();
  // JSON bodies: UTF-8 only, depth capped (issue 20, items 7 and 11); no text/plain bodies at all
  registerJsonBodyParser(app, BODY_LIMIT_BYTES);
  fastify.removeContentTypeParser('text/plain');
  registerSingleValuedQuery(fastify);
  registerProblemOnlyErrors(fastify);
  await registerCors(fastify, options.config.corsOrigins);
  const { rateLimitWindowSeconds: windowSeconds, rateLimitLoginMax: loginMax, rateLimitPublicMax: publicMax } = options.config;
  await registerRateLimits(app, { windowSeconds, loginMax, publicMax, loginPath: `/${API_PREFIX}/auth/login` });
  // spreadsheet uploads: raw bytes of any declared type on the upload routes (issue 22, item 5)
  registerUploadBodies(fastify, { uploadRoutes: [`/${API_PREFIX}/records/imports`, `/${API_PREFIX}/institution-registry/sync`, `/${API_PREFIX}/handover/lists`], bodyLimit: UPLOAD_LIMIT_BYTES });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('X-Correlation-Id', String(request.id));
    // while shutting down, tell keep-alive clients to go: their connections would hold close() open
    if (closing.has(app)) void reply.header('Connection', 'close');
  });
  registerSecurityHeaders(fastify);
  // who read which child's unmasked data, recorded before the answer leaves (issue 21, item 6)
  registerReadAudit(fastify, app.get<ReadAuditSink>(READ_AUDIT_SINK, { strict: false }));
  registerAccessLog(fastify, options.logger);
  registerMetrics(app, API_PREFIX);

  // built on its first request, once (about a second of every start otherwise: most apps, the tests', never serve it)
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, () => buildApiDocument(app, API_TAGS), { jsonDocumentUrl: `${API_PREFIX}/openapi.json`, yamlDocumentUrl: `${API_PREFIX}/openapi.yaml` });

  await app.init();
  await fastify.ready();
  return app;
}
