import type { Decider, DomainEvent } from '../../shared/domain/decider.js';
import { conflict } from '../../shared/domain/domain-error.js';

/**
 * An export job (数据导出, issue 17 item 5): one stream per export. Requested (who is the event's
 * actor, what, live or a month, masked or not), then completed (rows, file) or failed (with a
 * reason the caller can act on). A job the service did not finish before a restart is failed at
 * start-up, never left "running" for ever.
 */
export type ExportKind = 'office-summary' | 'institution-children';

export type ExportEvent =
  | DomainEvent<'ExportRequested', { exportId: string; kind: ExportKind; unit: string; divisionCode: string; month: string | null; masked: boolean; requestedAt: string }>
  | DomainEvent<'ExportCompleted', { exportId: string; rows: number; fileId: string; bytes: number; subjectsFileId?: string; completedAt: string }>
  | DomainEvent<'ExportFailed', { exportId: string; reason: string; failedAt: string }>;

export type ExportCommand =
  | { type: 'RequestExport'; exportId: string; kind: ExportKind; unit: string; divisionCode: string; month: string | null; masked: boolean; at: string }
  | { type: 'CompleteExport'; rows: number; fileId: string; bytes: number; subjectsFileId?: string; at: string }
  | { type: 'FailExport'; reason: string; at: string };

export type ExportStatus = 'none' | 'running' | 'completed' | 'failed';
export type ExportState = { status: ExportStatus; exportId: string };

export const exportStream = (exportId: string): string => `reporting-export-${exportId}`;

export const exportDecider: Decider<ExportCommand, ExportState, ExportEvent> = {
  initialState: { status: 'none', exportId: '' },
  decide(command, state) {
    switch (command.type) {
      case 'RequestExport': {
        if (state.status !== 'none') return [];
        const { exportId, kind, unit, divisionCode, month, masked, at } = command;
        return [{ type: 'ExportRequested', data: { exportId, kind, unit, divisionCode, month, masked, requestedAt: at } }];
      }
      case 'CompleteExport':
      case 'FailExport':
        if (state.status === 'none') throw conflict('export-not-started', '导出任务不存在');
        // the job ends once: a late completion after a failure (or the reverse) changes nothing
        if (state.status !== 'running') return [];
        return command.type === 'CompleteExport'
          ? [{ type: 'ExportCompleted', data: { exportId: state.exportId, rows: command.rows, fileId: command.fileId, bytes: command.bytes, ...(command.subjectsFileId ? { subjectsFileId: command.subjectsFileId } : {}), completedAt: command.at } }]
          : [{ type: 'ExportFailed', data: { exportId: state.exportId, reason: command.reason, failedAt: command.at } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ExportRequested':
        return { status: 'running', exportId: event.data.exportId };
      case 'ExportCompleted':
        return { ...state, status: 'completed' };
      case 'ExportFailed':
        return { ...state, status: 'failed' };
    }
  },
};
