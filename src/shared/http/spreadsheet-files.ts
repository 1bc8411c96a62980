import type { FastifyReply } from 'fastify';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Sends an xlsx as a download: `asciiName` for clients that read only `filename`, the Chinese
 * `fileName` in `filename*` (RFC 6266) for the rest.
 */
export function xlsxAttachment(reply: FastifyReply, fileName: string, asciiName: string): void {
  void reply.header('Content-Type', XLSX).header('Content-Disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
}

/** X-File-Name carries an uploaded file's name, URI-encoded (Chinese names survive HTTP headers that way). */
export function uploadedFileName(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    return decodeURIComponent(raw).slice(0, 255);
  } catch {
    return raw.slice(0, 255);
  }
}
