import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { MACHINE_CLIENT_ROUTE, MACHINE_CLIENTS, MACHINE_TOKEN_PREFIX, type MachineClientRequest, type MachineClientVerifier } from '../../shared/access/machine-clients.js';
import { PASSWORD_CHANGE_ALLOWED, PUBLIC_ROUTE } from '../../shared/http/public.decorator.js';
import { ProblemException } from '../../shared/http/problem.js';
import type { ActorRequest } from '../../shared/http/request-context.js';
import type { Principal } from '../application/principal.js';
import { SessionService } from '../application/session.service.js';

export type AuthenticatedRequest = ActorRequest & { principal?: Principal };

/**
 * Every route needs a live session unless marked @Public(). The session is checked against
 * the account's event stream on each request, so a logout, kick-out, reset or disablement
 * stops the token at once; a session unused past the idle limit ends, and a password that must
 * be changed (first login, reset, or older than the policy allows) opens only the change itself.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly modules: ModuleRef,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    if (!token) throw new ProblemException(401, 'unauthenticated', '请先登录', [], {}, { 'WWW-Authenticate': 'Bearer' });
    if (token.startsWith(MACHINE_TOKEN_PREFIX)) return this.machineClient(token, request, this.reflector.getAllAndOverride<boolean>(MACHINE_CLIENT_ROUTE, targets));
    const checked = await this.sessions.check(token, String(request.id));
    if ('refused' in checked && checked.refused === 'idle') {
      throw new ProblemException(401, 'session-idle', `超过 ${this.sessions.idleMinutes} 分钟未操作，登录已自动退出，请重新登录`, [], {}, { 'WWW-Authenticate': 'Bearer' });
    }
    if (!('principal' in checked)) {
      throw new ProblemException(401, 'session-invalid', '登录已失效（已退出、被管理员踢出、密码被重置或已过期），请重新登录', [], {}, { 'WWW-Authenticate': 'Bearer' });
    }
    const principal = checked.principal;
    if (principal.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(PASSWORD_CHANGE_ALLOWED, targets)) {
      throw new ProblemException(403, 'password-change-required', '首次登录或密码已过期/被重置，请先修改密码');
    }
    if (principal.role === 'leader' && request.method !== 'GET' && !this.reflector.getAllAndOverride<boolean>(PASSWORD_CHANGE_ALLOWED, targets)) {
      throw new ProblemException(403, 'leader-read-only', '领导账号只能查看报表，不能办理业务');
    }
    request.principal = principal;
    request.actor = { accountId: principal.accountId, role: principal.role, organisationId: principal.organisationId };
    return true;
  }

  /** A machine client's token (ADR 21): only on its routes, checked by the context that keeps clients. */
  private async machineClient(token: string, request: AuthenticatedRequest & MachineClientRequest, allowed: boolean | undefined): Promise<boolean> {
    if (!allowed) throw new ProblemException(403, 'client-token-not-allowed', '接口客户端令牌只能用于数据订阅接口');
    const client = await this.modules.get<MachineClientVerifier>(MACHINE_CLIENTS, { strict: false }).verify(token);
    if (!client) throw new ProblemException(401, 'client-token-invalid', '接口客户端令牌无效、已过期或客户端已被吊销，请重新获取令牌', [], {}, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    request.machineClient = client;
    request.actor = { accountId: client.clientId, role: 'api-client', organisationId: client.divisionCode };
    return true;
  }
}
