import { Inject, Injectable } from '@nestjs/common';
import { CommandPath } from '../../shared/command/command-path.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { type ReadStore, findAll } from '../../shared/read-store/read-store.port.js';
import { type MonthEndProject, monthEndStream } from '../domain/month-end.decider.js';
import type { Funds, OfficeLevel } from '../domain/funding-project.decider.js';
import { PROJECTS } from '../projections/supervision.projection.js';

export interface MonthEndFigures {
  month: string;
  /** 00:00 Beijing time on the month's last day: the figures are as they stood then */
  dueAt: string;
  takenAt: string;
  projects: MonthEndProject[];
}

/** A project of an office not updated in the month: an item of that office's to-do list. */
export interface ProjectToDo {
  projectId: string;
  level: OfficeLevel;
  divisionCode: string;
  name: string;
  year: number;
  funds: Funds;
  lastMonth: string;
  lastUpdatedAt: string;
}

/**
 * What supervision tells other contexts (reporting's monthly snapshot and to-do lists) about
 * funding projects: the month-end figures (from the month's own stream) and which projects of an
 * office were not updated in a month.
 */
@Injectable()
export class FundingFigures {
  constructor(private readonly commands: CommandPath, @Inject(READ_STORE) private readonly reads: ReadStore) {}

  async monthEnd(month: string): Promise<MonthEndFigures | null> {
    const [taken] = await this.commands.history(monthEndStream(month));
    if (!taken) return null;
    const { month: m, dueAt, takenAt, projects } = taken.data as unknown as MonthEndFigures;
    return { month: m, dueAt, takenAt, projects };
  }

  async notUpdated(office: { level: OfficeLevel; divisionCode: string }, month: string): Promise<ProjectToDo[]> {
    const docs = await findAll(this.reads, PROJECTS, { level: office.level, divisionCode: office.divisionCode, updatedMonth: { $lt: month } });
    return docs
      .map((d) => ({ projectId: d.id, level: d['level'] as OfficeLevel, divisionCode: String(d['divisionCode']), name: String(d['name']), year: Number(d['year']), funds: d['funds'] as Funds, lastMonth: String(d['lastMonth']), lastUpdatedAt: String(d['lastUpdatedAt']) }))
      .sort((a, b) => a.lastUpdatedAt.localeCompare(b.lastUpdatedAt));
  }
}
