import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The file a running service keeps in its DATA_DIR; offline tools refuse to work on a folder a live service holds. */
export const SERVICE_LOCK_FILE = 'service.lock';

export interface ServiceLock {
  pid: number;
  host: string;
}

/** Writes the lock (replacing a stale one); the returned function removes it if it is still this process's. */
export function holdServiceLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, SERVICE_LOCK_FILE);
  const mine: ServiceLock = { pid: process.pid, host: hostname() };
  writeFileSync(path, JSON.stringify(mine) + '\n');
  return () => {
    const held = readLock(path);
    if (held && held.pid === mine.pid && held.host === mine.host) rmSync(path, { force: true });
  };
}

/**
 * The lock of a service that may be running on the folder: its process is alive on this host,
 * or it was written on another host (whose processes cannot be checked from here). A lock
 * whose process has died (a crash, a kill -9) is stale: null.
 */
export function liveServiceLock(dataDir: string): ServiceLock | null {
  const held = readLock(join(dataDir, SERVICE_LOCK_FILE));
  if (!held) return null;
  if (held.host !== hostname()) return held;
  try {
    process.kill(held.pid, 0);
    return held;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? held : null;
  }
}

function readLock(path: string): ServiceLock | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServiceLock>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? { pid: parsed.pid, host: parsed.host } : null;
  } catch {
    return null;
  }
}
