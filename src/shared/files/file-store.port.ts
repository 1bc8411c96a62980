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
  /**
   * Stores the bytes durably (fsync'd) under their sha256; storing the same content again is a
   * no-op. `owner`: the child the file is about (a record id): with encryption at rest each owner
   * gets a copy sealed with that child's data key, so erasing one child makes its copy unreadable
   * and leaves another child's copy of the same content readable (ADR 23).
   */
  put(bytes: Buffer, owner?: string): Promise<StoredFile>;
  /** the bytes (the owner's copy where `owner` is given), or null when no such file */
  read(sha256: string, owner?: string): Promise<Buffer | null>;
  has(sha256: string, owner?: string): Promise<boolean>;
  close(): Promise<void>;
}

export const FILE_STORE = Symbol('FileStore');

/**
 * Encryption at rest of stored files (ADR 23), given to the file store: what is written is
 * seal()'s output, what is read goes through open() before its sha256 (the plaintext's) is checked.
 */
export interface FileSealer {
  /** throws FileOwnerErased when the owner's data key was destroyed: such a file is not kept at all */
  seal(sha256: string, plain: Buffer, owner?: string): Promise<Buffer>;
  /** whether stored bytes are already sealed (files stored before encryption at rest are not) */
  isSealed(stored: Buffer): boolean;
  /** the plaintext, null once its key was destroyed (erased); files stored before encryption (no header) come back as they are */
  open(sha256: string, stored: Buffer): Buffer | null;
}

/** A sha256 as the stores name files; anything else (paths, upper case, short) is no file. */
export const isSha256 = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);

/** The child a file is about was erased: its file must not be stored (nobody could read it). */
export class FileOwnerErased extends Error {
  override readonly name = 'FileOwnerErased';
}
