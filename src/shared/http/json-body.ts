import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from './problem.js';

/**
 * Deepest nesting a JSON body may have. The deepest DTO (a child's guardians) needs 3; the
 * margin is for future DTOs. class-transformer and class-validator recurse once per level, so a
 * body thousands of levels deep overflowed the stack (issue 20, item 7): it is refused here,
 * before anything walks it.
 */
export const MAX_JSON_DEPTH = 16;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The parser of every `application/json` body, given to Nest before init (Nest then registers
 * none of its own): the bytes must be UTF-8 (a declared charset other than UTF-8 is refused with
 * 415, undecodable bytes with 400) so that no replacement character (U+FFFD) is ever stored, and
 * the nesting is capped before parsing. Parsing itself stays Fastify's (secure-json-parse:
 * `__proto__` and `constructor` keys refused). Form-encoded bodies, which Nest would otherwise
 * parse without any of these checks, are refused: the API takes JSON.
 */
/** The routes that take a form: the OAuth 2.0 token request (RFC 6749 section 4.4.2 asks for one; ADR 21). */
export const FORM_BODY_PATHS: ReadonlySet<string> = new Set(['/api/v1/oauth/token']);

export function registerJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (request: FastifyRequest, body: Buffer, done) => {
    try {
      refuseOtherCharset(request.headers['content-type']);
      const text = decodeUtf8(body);
      refuseDeepNesting(text);
      parse(request, text, done);
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit }, (request: FastifyRequest, body: Buffer, done) => {
    if (!FORM_BODY_PATHS.has(request.url.split('?')[0]!)) return done(new ProblemException(415, 'unsupported-media-type', '不支持表单格式提交，请以 application/json 提交'), undefined);
    try {
      done(null, Object.fromEntries(new URLSearchParams(decodeUtf8(body))));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

function refuseOtherCharset(contentType: string | undefined): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ProblemException(
      415,
      'unsupported-charset',
      `不支持 ${charset} 编码的内容：请将内容转换为 UTF-8 后，以 Content-Type: application/json; charset=utf-8 提交`,
      [{ field: 'Content-Type', code: 'unsupported-charset', message: '仅支持 UTF-8 编码', value: charset }],
    );
  }
}

function decodeUtf8(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw new ProblemException(400, 'invalid-utf8', '请求内容不是有效的 UTF-8 编码（可能是 GBK 等其他编码），请转换为 UTF-8 后重新提交');
  }
}

/** One pass over the text, counting brackets outside strings. */
export function jsonDepth(text: string, stopAt = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) deepest = depth;
      if (deepest > stopAt) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

function refuseDeepNesting(text: string): void {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ProblemException(400, 'json-too-deep', `请求内容嵌套过深（最多 ${MAX_JSON_DEPTH} 层），请检查提交的数据`);
  }
}
