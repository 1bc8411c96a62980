import type { Readable } from 'node:stream';
import { errorCodes, type FastifyInstance } from 'fastify';
import { ProblemException } from './problem.js';

/** The types an upload is usually declared as; their parser serves every route (as before). */
const SPREADSHEET_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'];

/**
 * Spreadsheet uploads arrive as the raw body and each use checks type (magic bytes), size and
 * content itself. Browsers, WPS and mail clients declare an .xlsx as application/vnd.ms-excel,
 * application/wps-office.xlsx or nothing at all (issue 22, item 5), so on the upload routes any
 * declared type (or none) is read as bytes and the file sniffing decides. On every other route
 * an unknown type stays a 415, refused before the body is read.
 */
export function registerUploadBodies(fastify: FastifyInstance, options: { uploadRoutes: readonly string[]; bodyLimit: number }): void {
  const routes = new Set(options.uploadRoutes);
  fastify.addContentTypeParser(SPREADSHEET_TYPES, { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, done) => done(null, body));
  fastify.addContentTypeParser('*', (request, payload, done) => {
    // an unknown path stays a 404 whatever its body (the router's answer, not the parser's)
    if ((request as { is404?: boolean }).is404) {
      done(null, undefined);
      return;
    }
    if (!routes.has(request.routeOptions.url ?? '')) {
      done(new ProblemException(415, 'unsupported-media-type', '不支持的内容类型，请以 application/json 提交'), undefined);
      return;
    }
    readAll(payload, options.bodyLimit, Number(request.headers['content-length'] ?? 0)).then(
      (body) => done(null, body),
      (error: Error) => done(error, undefined),
    );
  });
}

async function readAll(payload: Readable, limit: number, declared: number): Promise<Buffer> {
  if (declared > limit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      payload.destroy();
      throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
