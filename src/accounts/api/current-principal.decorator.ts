import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import { unauthenticated } from '../../shared/domain/domain-error.js';
import type { Principal } from '../application/principal.js';
import type { AuthenticatedRequest } from './auth.guard.js';

/**
 * The authenticated caller of the route, as the auth guard found it. A @Public() route has none:
 * asking for it there is a programming error answered as "please log in", never a crash.
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw unauthenticated('unauthenticated', '请先登录');
  return principal;
});
