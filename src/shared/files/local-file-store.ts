import { createHash, randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileOwnerErased, type FileSealer, type FileStore, type StoredFile, isSha256 } from './file-store.port.js';

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
    const target = this.pathOf(sha256, owner);
    // same content, same name: a complete file is there already (files appear only by rename)
    if (this.sealer ? (await sizeOf(target)) !== null : (await sizeOf(target)) === plain.length) return stored;
    const bytes = this.sealer ? await this.sealer.seal(sha256, plain, owner) : plain;

    await this.writeAtomically(target, bytes);
    return stored;
  }

  /**
   * Seals the files stored before encryption at rest (the personal-data CLI's migration): a copy
   * per child the file is about (`ownersOf`, from the events), each sealed with that child's data
   * key, or one copy under a key of its own when no child is named. Each copy is written and
   * fsync'd before the plain file is removed, so a crash loses nothing and a second run goes on
   * where it stopped. An erased child gets no copy: nobody may read it any more (ADR 23).
   */
  async sealStored(ownersOf: (sha256: string) => readonly string[]): Promise<{ sealed: number; removed: number; already: number }> {
    if (!this.sealer) throw new Error('LocalFileStore has no sealer: encryption at rest is off');
    const counts = { sealed: 0, removed: 0, already: 0 };
    for (const shard of await readdir(this.root, { withFileTypes: true })) {
      if (!shard.isDirectory() || !/^[0-9a-f]{2}$/.test(shard.name)) continue;
      for (const entry of await readdir(join(this.root, shard.name))) {
        const [name, owner] = entry.split('.');
        if (!isSha256(name)) continue;
        // an owner's copy is sealed when written
        if (owner !== undefined) {
          counts.already++;
          continue;
        }
        const path = this.pathOf(name);
        const bytes = await readFile(path);
        if (this.sealer.isSealed(bytes)) {
          counts.already++;
          continue;
        }
        const owners = ownersOf(name).filter(isOwner);
        if (owners.length === 0) {
          await this.writeAtomically(path, await this.sealer.seal(name, bytes));
          counts.sealed++;
          continue;
        }
        // one sealed copy per child the file is about; the plain one goes once every copy is on disk
        let copies = 0;
        for (const owner of owners) {
          try {
            await this.writeAtomically(this.pathOf(name, owner), await this.sealer.seal(name, bytes, owner));
            copies++;
          } catch (error) {
            if (!(error instanceof FileOwnerErased)) throw error;
          }
        }
        await unlink(path);
        await fsyncDir(dirname(path));
        if (copies > 0) counts.sealed++;
        else counts.removed++;
      }
    }
    return counts;
  }

  async read(sha256: string, owner?: string): Promise<Buffer | null> {
    // only a well-formed hash (and owner) reaches the file system: no "../", no absolute paths
    if (!isSha256(sha256) || (owner !== undefined && !isOwner(owner))) return null;
    let bytes: Buffer | null = null;
    // the owner's copy; else the one copy stored before copies were kept per owner
    for (const path of new Set([this.pathOf(sha256, owner), this.pathOf(sha256)])) {
      try {
        bytes = await readFile(path);
        break;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    if (bytes === null) return null;
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

  async has(sha256: string, owner?: string): Promise<boolean> {
    if (!isSha256(sha256) || (owner !== undefined && !isOwner(owner))) return false;
    return (await sizeOf(this.pathOf(sha256, owner))) !== null || (await sizeOf(this.pathOf(sha256))) !== null;
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

  /** The bytes to a temp file in the shard, fsync'd, renamed into place, the shard fsync'd. */
  private async writeAtomically(target: string, bytes: Buffer): Promise<void> {
    const shard = dirname(target);
    await this.ensureShard(shard);
    // unique per write, so concurrent puts of the same content never share a temp file
    const temp = join(shard, `${TEMP_PREFIX}${basename(target)}-${randomUUID()}`);
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
  }

  /** `<shard>/<sha256>`, or `<shard>/<sha256>.<owner>` for an owner's sealed copy (plain files need no copies) */
  private pathOf(sha256: string, owner?: string): string {
    const name = owner !== undefined && this.sealer && isOwner(owner) ? `${sha256}.${owner}` : sha256;
    return join(this.root, sha256.slice(0, 2), name);
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

/** an owner is a record id: letters, digits, - and _ only, nothing that could leave the shard folder */
const isOwner = (owner: string): boolean => /^[A-Za-z0-9_-]{1,100}$/.test(owner);

const isNotFound = (error: unknown): boolean => (error as { code?: string }).code === 'ENOENT';
