import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * One application style (issue 13): below `api/`, code throws the domain errors of
 * shared/domain/domain-error.ts and the problem filter maps them to HTTP once. Dependency
 * cruiser forbids importing HTTP modules there (lint:arch); this catches what it cannot see: a
 * Nest HTTP exception class imported by name from @nestjs/common.
 */
const SRC = join(process.cwd(), 'src');
const HTTP_EXCEPTIONS = /\b(HttpException|BadRequestException|UnauthorizedException|ForbiddenException|NotFoundException|ConflictException|PayloadTooLargeException|UnsupportedMediaTypeException|UnprocessableEntityException|ServiceUnavailableException|InternalServerErrorException|PreconditionFailedException)\b/;

function sourceFiles(dir: string, withSpecs = false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path, withSpecs);
    return entry.name.endsWith('.ts') && (withSpecs || !entry.name.endsWith('.spec.ts')) ? [path] : [];
  });
}

describe('application style', () => {
  const belowApi = sourceFiles(SRC).filter((path) => /^[^/]+\/(domain|application|projections)\//.test(relative(SRC, path)));

  it('finds the application code it checks', () => {
    expect(belowApi.length).toBeGreaterThan(40);
  });

  it('no application, domain or projection code uses a Nest HTTP exception', () => {
    const offenders = belowApi.filter((path) => HTTP_EXCEPTIONS.test(readFileSync(path, 'utf8'))).map((path) => relative(SRC, path));
    expect(offenders).toEqual([]);
  });
});

describe('every decider and every projection has its specs (conventions, habit 4)', () => {
  const all = new Set(sourceFiles(SRC, true));
  const needing = [...all].filter((path) => /\.(decider|projection)\.ts$/.test(path));

  it('finds the deciders and projections', () => {
    expect(needing.length).toBeGreaterThan(15);
  });

  // its own <name>.spec.ts, or a spec beside it that imports it (one spec for a context's small projections)
  const specced = (path: string): boolean => {
    if (all.has(path.replace(/\.ts$/, '.spec.ts'))) return true;
    const imported = `./${basename(path, '.ts')}.js'`;
    return [...all].some((spec) => spec.endsWith('.spec.ts') && dirname(spec) === dirname(path) && readFileSync(spec, 'utf8').includes(imported));
  };

  it('each has a spec beside it', () => {
    expect(needing.filter((path) => !specced(path)).map((path) => relative(SRC, path))).toEqual([]);
  });
});
