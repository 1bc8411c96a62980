/**
 * The file store port: uploaded files (evidence, 佐证材料) kept by content. Events record a
 * file's sha256, never a path, so the bytes can move to another store (object storage, a
 * shared volume) without rewriting the log, and an auditor can check a file against its event.
 */

export interface StoredFile {
  /** 64 lowercase hex digits */
  sha256: string;
  size: number;
}

export interface FileStore {
  readonly kind: string;
  /** stores the bytes durably (fsync'd) under their sha256; storing the same content again is a no-op */
  put(bytes: Buffer): Promise<StoredFile>;
  /** the bytes, or null when no such file */
  read(sha256: string): Promise<Buffer | null>;
  has(sha256: string): Promise<boolean>;
  close(): Promise<void>;
}

export const FILE_STORE = Symbol('FileStore');

/** A sha256 as the stores name files; anything else (paths, upper case, short) is no file. */
export const isSha256 = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
