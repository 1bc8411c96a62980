import { createHash } from 'node:crypto';
// the type import also brings @fastify/multipart's request decorations (isMultipart, parts) into FastifyRequest
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FieldError } from '../domain/domain-error.js';
import { FILE_TYPE_LABEL, SNIFF_BYTES, type SniffedFileType, describeUnacceptedType, sniffFileType } from '../files/file-type.js';
import { ProblemException } from './problem.js';
import { checkText } from './text-input.js';

export interface UploadLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  /** sniffed types (see file-type.ts), e.g. ['application/pdf', 'image/jpeg', 'image/png'] */
  allowedTypes: readonly string[];
  /** longest text field (default 64 KiB) */
  maxFieldBytes?: number;
  /** most text fields (default 20) */
  maxFields?: number;
  /** fewest files (default 1; 0 where every file is optional, e.g. a declaration whose kind asks for none) */
  minFiles?: number;
}

export interface UploadedFile {
  /** the multipart field name the file came in */
  field: string;
  fileName: string;
  /** sniffed from the bytes, never the declared Content-Type */
  contentType: string;
  bytes: Buffer;
  size: number;
  sha256: string;
}

export interface Upload {
  /** text fields; a repeated name keeps its last value */
  fields: Record<string, string>;
  files: UploadedFile[];
}

const KIB = 1024;
const MIB = 1024 * KIB;
/** busboy is asked for this many files beyond maxFiles, so the excess ones can be named too */
const EXCESS_FILES_NAMED = 20;
/** part headers and boundaries on top of the files and fields, before reading stops */
const FRAMING_ALLOWANCE_BYTES = MIB;
/** bytes kept of every file for describing its type, also when the file itself is dropped */
const HEAD_BYTES = Math.max(SNIFF_BYTES, 16);

/** The order the top-level code is chosen in when several problems are found: the fix most likely to help first. */
const CODE_PRIORITY = ['file-too-large', 'too-many-files', 'upload-too-large', 'too-many-fields', 'field-too-large', 'file-type', 'file-empty', 'invalid-text', 'files-required'] as const;
type UploadProblemCode = (typeof CODE_PRIORITY)[number];
const STATUS: Record<UploadProblemCode, number> = {
  'file-too-large': 413,
  'too-many-files': 413,
  'upload-too-large': 413,
  'too-many-fields': 413,
  'field-too-large': 413,
  'file-type': 415,
  'file-empty': 400,
  'invalid-text': 400,
  'files-required': 400,
};

interface ReadFile {
  field: string;
  fileName: string;
  /** 0-based among the request's file parts (browser placeholders of empty file inputs not counted) */
  index: number;
  size: number;
  head: Buffer;
  /** null once the file is refused or too large: its bytes are not kept */
  chunks: Buffer[] | null;
  sha256: string;
  excess: boolean;
}

/**
 * Reads a multipart/form-data upload completely into memory, within limits checked while it
 * streams, and answers either every file and field or a problem naming every file at fault
 * (RFC 9457, via ProblemException). Stores nothing: the caller decides what to keep.
 *
 * Limits are counted on the bytes as they arrive; a file past maxFileBytes is no longer kept,
 * and once the request carries more than maxTotalBytes (plus fields and framing) reading
 * stops and the answer closes the connection, so a 500 MB upload costs neither memory nor
 * the time to receive it. Types are sniffed from the first bytes (file-type.ts).
 *
 * Errors name a file as `files[i]` (its 0-based position among the uploaded files) with its
 * file name as value. Needs @fastify/multipart registered on the instance (bootstrap.ts).
 */
export async function readUpload(request: FastifyRequest, limits: UploadLimits): Promise<Upload> {
  if (typeof request.isMultipart !== 'function') throw new Error('readUpload needs @fastify/multipart registered on the Fastify instance');
  if (!request.isMultipart()) {
    throw new ProblemException(415, 'upload-not-multipart', '请以表单文件上传（multipart/form-data）的方式提交文件', [], { accepted: 'multipart/form-data' });
  }
  const maxFieldBytes = limits.maxFieldBytes ?? 64 * KIB;
  const maxFields = limits.maxFields ?? 20;
  const stopAfterBytes = limits.maxTotalBytes + maxFields * maxFieldBytes + FRAMING_ALLOWANCE_BYTES;

  const fields: Record<string, string> = {};
  const files: ReadFile[] = [];
  const problems: FieldError[] = [];
  let receivedBytes = 0;
  let stopped = false;

  // per-call limits override the plugin's global ones; file sizes are counted here instead of by
  // busboy, which would silently discard the rest of a file that is too large (and keep reading it)
  const parts = request.parts({
    limits: { fileSize: Infinity, files: limits.maxFiles + EXCESS_FILES_NAMED, fields: maxFields, fieldSize: maxFieldBytes, parts: limits.maxFiles + EXCESS_FILES_NAMED + maxFields },
  });
  try {
    for await (const part of parts as AsyncIterable<Multipart>) {
      if (part.type === 'field') {
        if (part.valueTruncated) {
          problems.push({ field: part.fieldname, code: 'field-too-large', message: `“${part.fieldname}”的内容超过 ${formatKb(maxFieldBytes)}，请精简后重新提交` });
          continue; // cut off, maybe inside a character: refused already, not checked further
        }
        // the one text rule of every body (text-input.ts): NFC, trimmed, no control or invisible characters
        const checked = checkText(part.fieldname, typeof part.value === 'string' ? part.value : JSON.stringify(part.value));
        if (typeof checked === 'string') fields[part.fieldname] = checked;
        else problems.push({ field: part.fieldname, code: 'invalid-text', message: `“${part.fieldname}”${checked.message}` });
        continue;
      }
      const file = await readFilePart(part);
      if (file === null) continue;
      files.push(file);
      if (stopped) break;
    }
  } catch (error) {
    request.raw.unpipe();
    const code = (error as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') {
      stopped = true;
      problems.push({ field: 'files', code: 'too-many-files', message: `文件过多：超过 ${limits.maxFiles + EXCESS_FILES_NAMED} 个，其余文件未读取；每次最多上传 ${limits.maxFiles} 个文件，请分批上传` });
    } else if (code === 'FST_FIELDS_LIMIT') {
      stopped = true;
      problems.push({ field: 'fields', code: 'too-many-fields', message: `表单项过多：最多 ${maxFields} 项` });
    } else {
      // a body that is not well-formed multipart (no boundary, cut off, forbidden field names)
      throw new ProblemException(400, 'upload-malformed', '上传的内容不完整或格式有误，无法读取，请重新选择文件上传', [], {}, { connection: 'close' });
    }
  }

  async function readFilePart(part: MultipartFile): Promise<ReadFile | null> {
    const index = files.length;
    const excess = index >= limits.maxFiles;
    const hash = createHash('sha256');
    let chunks: Buffer[] | null = excess ? null : [];
    let head = Buffer.alloc(0);
    let size = 0;
    for await (const chunk of part.file as AsyncIterable<Buffer>) {
      size += chunk.length;
      receivedBytes += chunk.length;
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
      // a file past its limit is refused: its bytes are counted, never kept
      if (chunks !== null && size > limits.maxFileBytes) chunks = null;
      if (chunks !== null) {
        chunks.push(chunk);
        hash.update(chunk);
      }
      if (receivedBytes > stopAfterBytes) {
        // leaving the loop destroys the file stream; @fastify/multipart then ends the iteration
        stopped = true;
        break;
      }
    }
    const fileName = part.filename ?? '';
    // an empty file input of a browser form still sends a part, with no name and no bytes
    if (size === 0 && fileName === '') return null;
    return { field: part.fieldname, fileName, index, size, head, chunks, sha256: chunks === null ? '' : hash.digest('hex'), excess };
  }

  let total = 0;
  let totalReported = false;
  for (const file of files) {
    const named = checkText('fileName', file.fileName);
    if (typeof named !== 'string') {
      problems.push({ field: `files[${file.index}]`, code: 'invalid-text', message: `第 ${file.index + 1} 个文件的文件名${named.message}` });
      continue;
    }
    file.fileName = named;
    const at = { field: `files[${file.index}]`, ...(file.fileName !== '' ? { value: file.fileName } : {}) };
    const name = `第 ${file.index + 1} 个文件${file.fileName !== '' ? `“${file.fileName}”` : ''}`;
    if (file.excess) {
      problems.push({ ...at, code: 'too-many-files', message: `${name}超出数量：每次最多上传 ${limits.maxFiles} 个文件，请分批上传` });
      continue;
    }
    if (file.size === 0) {
      problems.push({ ...at, code: 'file-empty', message: `${name}是空文件（0 字节），请重新选择文件` });
      continue;
    }
    if (file.size > limits.maxFileBytes) {
      problems.push({ ...at, code: 'file-too-large', message: `${name}超过单个文件 ${formatMb(limits.maxFileBytes)} 的上限，请压缩或拆分后上传` });
      continue;
    }
    const type = sniffFileType(file.head);
    if (type === null || !limits.allowedTypes.includes(type)) {
      const detected = type !== null ? FILE_TYPE_LABEL[type].label : describeUnacceptedType(file.head);
      problems.push({ ...at, code: 'file-type', message: `${name}实际是${detected}，只接受 ${acceptedLabels(limits.allowedTypes)} 格式的文件（按文件内容判断，改扩展名无效）` });
      continue;
    }
    total += file.size;
    if (total > limits.maxTotalBytes && !totalReported) {
      totalReported = true;
      problems.push({ ...at, code: 'upload-too-large', message: `加上${name}后，本次上传合计超过 ${formatMb(limits.maxTotalBytes)}，请分批上传` });
    }
  }
  if (files.length < (limits.minFiles ?? 1) && !stopped) {
    problems.push({ field: 'files', code: 'files-required', message: `请选择要上传的文件（${acceptedLabels(limits.allowedTypes)}）` });
  }

  if (problems.length > 0) throw uploadProblem(problems, limits, stopped);
  return {
    fields,
    files: files.map((file) => {
      const bytes = Buffer.concat(file.chunks ?? []);
      return { field: file.field, fileName: file.fileName, contentType: sniffFileType(file.head) as SniffedFileType, bytes, size: bytes.length, sha256: file.sha256 };
    }),
  };
}

function uploadProblem(problems: FieldError[], limits: UploadLimits, stopped: boolean): ProblemException {
  const top = CODE_PRIORITY.find((code) => problems.some((p) => p.code === code)) ?? 'files-required';
  const listed = problems.slice(0, 10).map((p) => p.message);
  let message = problems.length === 1 ? listed[0]! : `本次上传有 ${problems.length} 处问题：${listed.join('；')}${problems.length > listed.length ? '；……' : ''}`;
  if (stopped) message += `（上传内容过大，已停止接收，其后的文件未检查）`;
  const extensions = { limits: { maxFiles: limits.maxFiles, maxFileBytes: limits.maxFileBytes, maxTotalBytes: limits.maxTotalBytes, allowedTypes: [...limits.allowedTypes] }, ...(stopped ? { incomplete: true } : {}) };
  // the rest of the body was not read: the connection cannot carry another request
  return new ProblemException(STATUS[top], top, message, problems, extensions, stopped ? { connection: 'close' } : {});
}

function acceptedLabels(types: readonly string[]): string {
  return types.map((t) => (t in FILE_TYPE_LABEL ? FILE_TYPE_LABEL[t as SniffedFileType].label.split(' ')[0] : t)).join('、');
}

/** limits are told in MB, as registrars see file sizes in their file manager */
const formatMb = (bytes: number): string => `${Math.max(0.1, Math.round((bytes / MIB) * 10) / 10)} MB`;
const formatKb = (bytes: number): string => `${Math.max(1, Math.round(bytes / KIB))} KB`;
