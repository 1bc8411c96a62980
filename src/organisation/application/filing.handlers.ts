import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../accounts/contracts/index.js';
import { covers } from '../../shared/access/jurisdiction.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../shared/command/command-path.js';
import { forbidden, notFound, rule } from '../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { type FilingContent, type FilingState, filingDecider, filingStream } from '../domain/filing.decider.js';
import { institutionDecider, institutionStream } from '../domain/institution.decider.js';

type FilingOutcome = CommandOutcome<FilingState>;

async function registeredInstitution(commands: CommandPath, code: string) {
  const { state } = await commands.load(institutionStream(code), institutionDecider);
  if (!state.entry) throw notFound('institution-not-found', '机构不存在或不在您的管辖范围内');
  return state;
}

/** Filed by the institution's own business (or administrator) account; resubmission at any time. */
export class SubmitFiling extends Command<FilingOutcome> {
  constructor(readonly principal: Principal, readonly code: string, readonly content: FilingContent, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(SubmitFiling)
export class SubmitFilingHandler implements ICommandHandler<SubmitFiling> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, code, content, context }: SubmitFiling): Promise<FilingOutcome> {
    if (principal.level !== 'institution' || principal.institutionCode !== code) throw notFound('institution-not-found', '机构不存在或不在您的管辖范围内');
    if (principal.role !== 'business' && principal.role !== 'admin') throw forbidden('business-account-only', '机构信息由本机构的业务账号填报');
    const institution = await registeredInstitution(this.commands, code);
    if (institution.revoked) throw rule('institution-revoked', '机构已撤销，不能填报');
    const { type, divisionCode } = institution.entry!;
    return this.commands.run({ streamId: filingStream(code), decider: filingDecider, command: { type: 'SubmitFiling', code, divisionCode, institutionType: type, content, at: isoNow(this.clock) }, context });
  }
}

/**
 * Reviewed by the institution's county (business or review account). Anyone else is refused
 * before the institution is looked at, and a county gets the same 404 for an institution that is
 * absent or another county's: existence does not leak.
 */
export class DecideFiling extends Command<FilingOutcome> {
  constructor(readonly principal: Principal, readonly code: string, readonly decision: { version: number; approve: boolean; reason?: string }, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(DecideFiling)
export class DecideFilingHandler implements ICommandHandler<DecideFiling> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, code, decision, context }: DecideFiling): Promise<FilingOutcome> {
    if (principal.level !== 'county' || (principal.role !== 'review' && principal.role !== 'business')) {
      throw forbidden('county-review-only', '机构填报由所在区县的审核账号或业务账号审核');
    }
    const institution = await registeredInstitution(this.commands, code);
    if (!covers(principal, { divisionCode: institution.entry!.divisionCode, institutionCode: code })) {
      throw notFound('institution-not-found', '机构不存在或不在您的管辖范围内');
    }
    const at = isoNow(this.clock);
    return this.commands.run({
      streamId: filingStream(code),
      decider: filingDecider,
      command: decision.approve ? { type: 'ApproveFiling', code, version: decision.version, at } : { type: 'RejectFiling', code, version: decision.version, reason: decision.reason ?? '', at },
      context,
    });
  }
}

export const FILING_HANDLERS = [SubmitFilingHandler, DecideFilingHandler];
