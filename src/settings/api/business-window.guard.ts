import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedRequest } from '../../accounts/contracts/index.js';
import { ProblemException } from '../../shared/http/problem.js';
import type { Business } from '../domain/province-settings.decider.js';
import { SettingsService } from '../application/settings.service.js';

const BUSINESS = 'business-window';

/** Marks a command route as part of a business that a province can switch off or open in a window. */
export const InBusiness = (business: Business): MethodDecorator & ClassDecorator => SetMetadata(BUSINESS, business);

/** Refuses a command of a closed business with a message that names the window (runs after authentication). */
@Injectable()
export class BusinessWindowGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly settings: SettingsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const business = this.reflector.getAllAndOverride<Business | undefined>(BUSINESS, [context.getHandler(), context.getClass()]);
    if (!business) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const closed = await this.settings.closedReason(business, this.settings.provinceOf(request.principal));
    if (closed) throw new ProblemException(403, closed.code, closed.message, [], { business });
    return true;
  }
}
