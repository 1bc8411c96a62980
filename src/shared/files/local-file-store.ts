import { createHash, randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type FileSealer, type FileStore, type StoredFile, isSha256 } from './file-store.port.js';

const TEMP_PREFIX = '.tmp-';
const HOUR_MS = 60 * 60 * 1000;

export interface LocalFileStoreOptions {
  /** temp files older than this are leftovers of a crash and removed when the store opens (default 1 hour) */
  staleTempAfterMs?: number;
  /** encryption at rest of the contents (ADR 23); names stay the plaintext's sha256, as events record them */
  sealer?: FileSealer;
}

/**
 * Files on a local folder, by content: `<root>/<first two hex digits>/<sha256>`. The two-digit
 * shards keep every folder small when millions of files are stored.
 *
 * A file becomes visible only complete and on disk: the bytes go to a temp file in the shard
 * folder, which is fsync'd, renamed into place and the folder fsync'd, so a file whose put() was
 * acknowledged survives a power cut, and a crash mid-write leaves only a temp file, never a
 * truncated file under a real hash.
 */
export class LocalFileStore implements FileStore {
  readonly kind = 'local';
  /** the sweep of stale temp files started when the store was opened (resolves to how many were removed) */
  readonly opened: Promise<number>;
  private readonly shards = new Set<string>();
  private closed = false;
  private readonly sealer: FileSealer | null;

  constructor(
    readonly root: string,
    options: LocalFileStoreOptions = {},
  ) {
    this.sealer = options.sealer ?? null;
    const created = mkdirSync(root, { recursive: true });
    if (created !== undefined) fsyncDirSync(dirname(root));
    // a failed sweep costs disk space, not correctness: never fail the service for it
    this.opened = this.removeStaleTempFiles(options.staleTempAfterMs ?? HOUR_MS).catch(() => 0);
  }

  async put(plain: Buffer, owner?: string): Promise<StoredFile> {
    if (this.closed) throw new Error('LocalFileStore is closed');
    const sha256 = createHash('sha256').update(plain).digest('hex');
    const stored = { sha256, size: plain.length };
    const target = this.pathOf(sha256);
    // same content, same name: a complete file is there already (files appear only by rename)
    if (this.sealer ? (await sizeOf(target)) !== null : (await sizeOf(target)) === plain.length) return stored;
    const bytes = this.sealer ? await this.sealer.seal(sha256, plain, owner) : plain;

    const shard = dirname(target);
    await this.ensureShard(shard);
    // unique per put, so concurrent puts of the same content never share a temp file
    const temp = join(shard, `${TEMP_PREFIX}${sha256}-${randomUUID()}`);
    try {
      const handle = await open(temp, 'wx', 0o644);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // atomic replace: a concurrent put of the same content renames identical bytes, both succeed
      await rename(temp, target);
      await fsyncDir(shard);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    return stored;
  }

  async read(sha256: string): Promise<Buffer | null> {
    // only a well-formed hash reaches the file system: no "../", no absolute paths
    if (!isSha256(sha256)) return null;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(sha256));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    if (this.sealer) {
      const plain = this.sealer.open(sha256, bytes);
      if (plain === null) return null;
      bytes = plain;
    }
    // the name promises the content; rotten bytes must not pass as the evidence an event refers to
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) throw new Error(`stored file ${sha256} is corrupted (its content hashes to ${actual})`);
    return bytes;
  }

  async has(sha256: string): Promise<boolean> {
    if (!isSha256(sha256)) return false;
    return (await sizeOf(this.pathOf(sha256))) !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.opened;
  }

  /** Removes temp files a crash left behind mid-write; younger ones may be a put in progress (another process). */
  async removeStaleTempFiles(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const shard of await readdir(this.root, { withFileTypes: true })) {
      if (!shard.isDirectory() || !/^[0-9a-f]{2}$/.test(shard.name)) continue;
      const folder = join(this.root, shard.name);
      for (const name of await readdir(folder)) {
        if (!name.startsWith(TEMP_PREFIX)) continue;
        const path = join(folder, name);
        const info = await stat(path).catch(() => null);
        if (info === null || info.mtimeMs >= cutoff) continue;
        await unlink(path).then(() => removed++, () => undefined);
      }
    }
    return removed;
  }

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /** A new shard folder is itself a directory entry of the root: fsync the root so it survives too. */
  private async ensureShard(shard: string): Promise<void> {
    if (this.shards.has(shard)) return;
    const created = await mkdir(shard, { recursive: true });
    if (created !== undefined) await fsyncDir(this.root);
    this.shards.add(shard);
  }
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** A rename or a new entry is durable only once its directory is fsync'd. */
async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function fsyncDirSync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const isNotFound = (error: unknown): boolean => (error as { code?: string }).code === 'ENOENT';
