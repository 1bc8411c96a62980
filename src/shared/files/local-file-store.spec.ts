import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LocalFileStore } from './local-file-store.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const PDF = Buffer.from('%PDF-1.7\n出生医学证明\n%%EOF\n');

describe('LocalFileStore', () => {
  let root: string;
  let store: LocalFileStore;
  beforeEach(() => {
    root = join(mkdtempSync(join(tmpdir(), 'files-')), 'files');
    store = new LocalFileStore(root);
  });
  afterEach(() => store.close());

  it('stores bytes under their sha256 and reads them back', async () => {
    const stored = await store.put(PDF);
    expect(stored).toEqual({ sha256: sha256(PDF), size: PDF.length });
    expect(await store.has(stored.sha256)).toBe(true);
    expect((await store.read(stored.sha256))?.equals(PDF)).toBe(true);
  });

  it('keeps a file at <root>/<first two hex digits>/<sha256>, with no temp file left', async () => {
    const { sha256: hash } = await store.put(PDF);
    const path = join(root, hash.slice(0, 2), hash);
    expect(readFileSync(path).equals(PDF)).toBe(true);
    expect(readdirSync(join(root, hash.slice(0, 2)))).toEqual([hash]);
  });

  it('answers null / false for a file it does not have', async () => {
    const missing = sha256(Buffer.from('never stored'));
    expect(await store.read(missing)).toBeNull();
    expect(await store.has(missing)).toBe(false);
  });

  it('treats storing the same content again as a no-op', async () => {
    const first = await store.put(PDF);
    const path = join(root, first.sha256.slice(0, 2), first.sha256);
    const past = new Date('2026-01-01T00:00:00Z');
    utimesSync(path, past, past);
    const again = await store.put(Buffer.from(PDF));
    expect(again).toEqual(first);
    // not rewritten: the file is the one stored first
    expect(readdirSync(join(root, first.sha256.slice(0, 2)))).toEqual([first.sha256]);
    expect(statSync(path).mtime.toISOString()).toBe(past.toISOString());
  });

  it('lets concurrent puts of the same content all succeed, leaving one complete file', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 7);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.put(Buffer.from(big))));
    expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha256(big)]));
    const shard = join(root, sha256(big).slice(0, 2));
    expect(readdirSync(shard)).toEqual([sha256(big)]);
    expect((await store.read(sha256(big)))?.equals(big)).toBe(true);
  });

  it('answers null for anything that is not a 64-digit lowercase hex hash, never touching other paths', async () => {
    const { sha256: hash } = await store.put(PDF);
    writeFileSync(join(root, '..', 'secret.txt'), 'not yours');
    for (const bad of ['../secret.txt', `../files/${hash.slice(0, 2)}/${hash}`, hash.toUpperCase(), hash.slice(0, 63), `${hash}0`, `/etc/passwd`, '', `${hash.slice(0, 62)}..`]) {
      expect(await store.read(bad)).toBeNull();
      expect(await store.has(bad)).toBe(false);
    }
  });

  it('refuses to hand out a stored file whose bytes no longer match its name', async () => {
    const { sha256: hash } = await store.put(PDF);
    writeFileSync(join(root, hash.slice(0, 2), hash), Buffer.from('%PDF-1.7\ntampered\n'));
    await expect(store.read(hash)).rejects.toThrow(/corrupted/);
  });

  it('removes temp files older than an hour when opened (a crash mid-write leaves them), and keeps younger ones', async () => {
    const { sha256: hash } = await store.put(PDF);
    const shard = join(root, hash.slice(0, 2));
    mkdirSync(join(root, 'ab'), { recursive: true });
    const stale = join(shard, `.tmp-${hash}-crashed`);
    const staleElsewhere = join(root, 'ab', '.tmp-abcd-crashed');
    const fresh = join(shard, `.tmp-${hash}-writing`);
    for (const path of [stale, staleElsewhere, fresh]) writeFileSync(path, 'partial');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);
    utimesSync(staleElsewhere, twoHoursAgo, twoHoursAgo);

    const reopened = new LocalFileStore(root);
    expect(await reopened.opened).toBe(2);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(staleElsewhere)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect((await reopened.read(hash))?.equals(PDF)).toBe(true);
    await reopened.close();
  });

  it('stores the empty file too (refusing empty evidence is the upload\'s job)', async () => {
    const stored = await store.put(Buffer.alloc(0));
    expect(stored).toEqual({ sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', size: 0 });
    expect((await store.read(stored.sha256))?.length).toBe(0);
  });
});
