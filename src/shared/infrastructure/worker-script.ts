import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The compiled JavaScript of a worker-thread entry next to `moduleUrl`. A worker cannot run
 * TypeScript, so when the caller itself runs from the sources (jest), the same file under
 * dist/ is used (`npm test` builds first). Null when it has not been built.
 */
export function compiledWorkerScript(moduleUrl: string, fileName: string): URL | null {
  const beside = fileURLToPath(new URL(fileName, moduleUrl));
  if (existsSync(beside)) return pathToFileURL(beside);
  const src = beside.lastIndexOf(`${sep}src${sep}`);
  if (src < 0) return null;
  const built = `${beside.slice(0, src)}${sep}dist${beside.slice(src)}`;
  return existsSync(built) ? pathToFileURL(built) : null;
}
