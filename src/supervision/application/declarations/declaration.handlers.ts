import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { provinceCodeOf } from '../../../shared/access/jurisdiction.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../../shared/command/command-path.js';
import { notFound } from '../../../shared/domain/domain-error.js';
import { FILE_STORE, type FileStore } from '../../../shared/files/file-store.port.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { type DeclarationKindState, declarationKindDecider, declarationKindStream } from '../../domain/declaration-kind.decider.js';
import { type DeclarationAttachment, type DeclarationCommand, type DeclarationState, declarationDecider, declarationStream } from '../../domain/declaration.decider.js';
import { requireCountyHandler, requireInstitutionBusiness, requireOwnDeclaration } from '../supervision-access.js';

type DeclarationOutcome = CommandOutcome<DeclarationState>;

/** an attachment as the upload read it: the multipart field name is the kind's attachment key */
export interface AttachmentFile {
  field: string;
  fileName: string;
  contentType: string;
  bytes: Buffer;
  size: number;
  sha256: string;
}

export interface DeclarationContent {
  fields: Record<string, string>;
  reason: string;
  files: AttachmentFile[];
}

const describe = (files: AttachmentFile[]): DeclarationAttachment[] => files.map((f) => ({ key: f.field, sha256: f.sha256, size: f.size, contentType: f.contentType, fileName: f.fileName.slice(0, 255) }));

export class DeclareChange extends Command<DeclarationOutcome> {
  constructor(readonly principal: Principal, readonly kindId: string, readonly content: DeclarationContent, readonly context: CommandContext) {
    super();
  }
}

/** A kind applies to an institution when its province defined it, or its own county (by delegation). */
export function kindApplies(kind: DeclarationKindState, divisionCode: string): boolean {
  if (kind.status === 'none') return false;
  return kind.ownerLevel === 'province' ? kind.ownerDivision === provinceCodeOf(divisionCode) : kind.ownerDivision === divisionCode;
}

/** The institution declares: decided first on the fields and file descriptions, the files kept only once it passed. */
@CommandHandler(DeclareChange)
export class DeclareChangeHandler implements ICommandHandler<DeclareChange> {
  constructor(private readonly commands: CommandPath, @Inject(FILE_STORE) private readonly files: FileStore, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, kindId, content, context }: DeclareChange): Promise<DeclarationOutcome> {
    const institutionCode = requireInstitutionBusiness(principal, '异动申报');
    const { state: kind } = await this.commands.load(declarationKindStream(kindId), declarationKindDecider);
    if (!kindApplies(kind, principal.divisionCode)) throw notFound('declaration-kind-not-found', '异动类型不存在或不适用于本园，请从列表中选择');
    const declarationId = randomUUID();
    const command: DeclarationCommand = { type: 'Declare', declarationId, kind, institutionCode, divisionCode: principal.divisionCode, fields: content.fields, attachments: describe(content.files), reason: content.reason, at: isoNow(this.clock) };
    const prepared = this.commands.prepareStart({ streamId: declarationStream(declarationId), decider: declarationDecider, command, context });
    for (const file of content.files) await this.files.put(file.bytes);
    return this.commands.commitStart(prepared);
  }
}

export type DeclarationAction =
  | { type: 'withdraw'; reason: string }
  | { type: 'resubmit'; content: DeclarationContent }
  | { type: 'approve'; opinion: string }
  | { type: 'reject'; reason: string }
  | { type: 'acknowledge'; opinion: string };

export class ActOnDeclaration extends Command<DeclarationOutcome> {
  constructor(readonly principal: Principal, readonly declarationId: string, readonly action: DeclarationAction, readonly context: CommandContext) {
    super();
  }
}

/** The institution withdraws or resubmits its own; the county approves, rejects or acknowledges its institutions'. */
@CommandHandler(ActOnDeclaration)
export class ActOnDeclarationHandler implements ICommandHandler<ActOnDeclaration> {
  constructor(private readonly commands: CommandPath, @Inject(FILE_STORE) private readonly files: FileStore, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, declarationId, action, context }: ActOnDeclaration): Promise<DeclarationOutcome> {
    const at = isoNow(this.clock);
    const byInstitution = action.type === 'withdraw' || action.type === 'resubmit';
    if (byInstitution) requireInstitutionBusiness(principal, action.type === 'withdraw' ? '撤回异动申报' : '重新提交异动申报');
    const command: DeclarationCommand = (() => {
      switch (action.type) {
        case 'withdraw':
          return { type: 'Withdraw', reason: action.reason, at };
        case 'resubmit':
          return { type: 'Resubmit', fields: action.content.fields, attachments: describe(action.content.files), reason: action.content.reason, at };
        case 'approve':
          return { type: 'Approve', opinion: action.opinion, at };
        case 'reject':
          return { type: 'Reject', reason: action.reason, at };
        case 'acknowledge':
          return { type: 'Acknowledge', opinion: action.opinion, at };
      }
    })();
    // files are kept before the append: a refused resubmission leaves unreferenced bytes at most, never an event without its file
    if (action.type === 'resubmit') for (const file of action.content.files) await this.files.put(file.bytes);
    return this.commands.run({
      streamId: declarationStream(declarationId), decider: declarationDecider, command, context,
      authorise: (state) => (byInstitution ? requireOwnDeclaration(principal, state) : requireCountyHandler(principal, state)),
    });
  }
}

export const DECLARATION_HANDLERS = [DeclareChangeHandler, ActOnDeclarationHandler];
