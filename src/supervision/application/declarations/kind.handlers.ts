import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { InstitutionDirectory } from '../../../organisation/contracts/index.js';
import { provinceCodeOf, withinDivision } from '../../../shared/access/jurisdiction.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../../shared/command/command-path.js';
import { forbidden, invalid, notFound } from '../../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { type DeclarationKindState, type Handling, type KindItem, declarationKindDecider, declarationKindStream } from '../../domain/declaration-kind.decider.js';
import { type KindDelegationState, kindDelegationDecider, kindDelegationStream } from '../../domain/kind-delegation.decider.js';
import { requireOfficeWriter } from '../supervision-access.js';

export interface KindFields {
  name: string;
  handling: Handling;
  fields: KindItem[];
  attachments: KindItem[];
}

export class DefineDeclarationKind extends Command<CommandOutcome<DeclarationKindState>> {
  constructor(readonly principal: Principal, readonly kind: KindFields, readonly context: CommandContext) {
    super();
  }
}

/** The province defines kinds for all its institutions; a county only once the province delegated it. */
@CommandHandler(DefineDeclarationKind)
export class DefineDeclarationKindHandler implements ICommandHandler<DefineDeclarationKind> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, kind, context }: DefineDeclarationKind) {
    requireOfficeWriter(principal, '异动类型设置', ['province', 'county']);
    if (principal.level === 'county') {
      const { state } = await this.commands.load(kindDelegationStream(provinceCodeOf(principal.divisionCode)), kindDelegationDecider);
      if (!state.counties.includes(principal.divisionCode)) throw forbidden('kinds-not-delegated', '省级未授权本县（区）设置异动类型，请使用省级设置的类型或联系省级教育部门');
    }
    const kindId = randomUUID();
    return this.commands.start({
      streamId: declarationKindStream(kindId), decider: declarationKindDecider, context,
      command: { type: 'DefineKind', kindId, ownerLevel: principal.level as 'province' | 'county', ownerDivision: principal.divisionCode, ...kind, at: isoNow(this.clock) },
    });
  }
}

export class RetireDeclarationKind extends Command<CommandOutcome<DeclarationKindState>> {
  constructor(readonly principal: Principal, readonly kindId: string, readonly context: CommandContext) {
    super();
  }
}

/** Only the office that defined a kind retires it. */
@CommandHandler(RetireDeclarationKind)
export class RetireDeclarationKindHandler implements ICommandHandler<RetireDeclarationKind> {
  constructor(private readonly commands: CommandPath, @Inject(CLOCK) private readonly clock: Clock) {}

  execute({ principal, kindId, context }: RetireDeclarationKind) {
    requireOfficeWriter(principal, '异动类型设置', ['province', 'county']);
    return this.commands.run({
      streamId: declarationKindStream(kindId), decider: declarationKindDecider, command: { type: 'RetireKind', at: isoNow(this.clock) }, context,
      authorise: (state) => {
        if (state.status === 'none' || state.ownerLevel !== principal.level || state.ownerDivision !== principal.divisionCode) throw notFound('declaration-kind-not-found', '异动类型不存在或不由本单位设置');
      },
    });
  }
}

export class SetKindDelegation extends Command<CommandOutcome<KindDelegationState>> {
  constructor(readonly principal: Principal, readonly countyCode: string, readonly delegated: boolean, readonly context: CommandContext) {
    super();
  }
}

/** The province lets a county of its own define kinds (or takes it back). */
@CommandHandler(SetKindDelegation)
export class SetKindDelegationHandler implements ICommandHandler<SetKindDelegation> {
  constructor(private readonly commands: CommandPath, private readonly directory: InstitutionDirectory, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, countyCode, delegated, context }: SetKindDelegation) {
    requireOfficeWriter(principal, '授权县（区）设置异动类型', ['province']);
    const counties = await this.directory.counties();
    if (!withinDivision(countyCode, principal.divisionCode) || !counties.some((c) => c.code === countyCode)) {
      throw invalid([{ field: 'countyCode', code: 'county-unknown', message: '不是本省的县（区）代码' }], '请选择本省的县（区）');
    }
    return this.commands.run({
      streamId: kindDelegationStream(principal.divisionCode), decider: kindDelegationDecider, context,
      command: { type: delegated ? 'Delegate' : 'Revoke', provinceCode: principal.divisionCode, countyCode, at: isoNow(this.clock) },
    });
  }
}

export const KIND_HANDLERS = [DefineDeclarationKindHandler, RetireDeclarationKindHandler, SetKindDelegationHandler];
