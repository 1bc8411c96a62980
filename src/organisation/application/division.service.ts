import { Injectable } from '@nestjs/common';
import { CommandPath } from '../../shared/command/command-path.js';
import { notFound } from '../../shared/domain/domain-error.js';
import { CUSTOM_DIVISIONS_STREAM, customDivisionDecider, treeWith } from '../domain/custom-division.decider.js';
import type { DivisionTree } from '../domain/divisions.js';

/** The GB/T 2260 tree plus the custom divisions, read from their stream (a handful of events). */
@Injectable()
export class DivisionService {
  private cache: { revision: number; tree: DivisionTree } | null = null;

  constructor(private readonly commands: CommandPath) {}

  async tree(): Promise<DivisionTree> {
    const { state, revision } = await this.commands.load(CUSTOM_DIVISIONS_STREAM, customDivisionDecider);
    if (this.cache?.revision !== revision) this.cache = { revision, tree: treeWith(state.divisions) };
    return this.cache.tree;
  }

  async children(parent: string | null) {
    const tree = await this.tree();
    if (parent === null) return tree.all().filter((d) => d.level === 'province');
    if (!tree.has(parent)) throw notFound('division-not-found', `行政区划 ${parent} 不存在`);
    return tree.children(parent);
  }

  async get(code: string) {
    const tree = await this.tree();
    const division = tree.get(code);
    if (!division) throw notFound('division-not-found', `行政区划 ${code} 不存在`);
    return { ...division, path: tree.path(code).map((d) => ({ code: d.code, name: d.name, level: d.level })), children: tree.children(code).length };
  }
}
