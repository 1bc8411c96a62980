import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MACHINE_TOKEN_PREFIX, type MachineClient, type MachineClientVerifier } from '../../shared/access/machine-clients.js';
import { CommandPath } from '../../shared/command/command-path.js';
import { unauthenticated } from '../../shared/domain/domain-error.js';
import { CLOCK, type Clock } from '../../shared/time/clock.js';
import { type ApiClientState, apiClientDecider, apiClientStream } from '../domain/api-client.decider.js';

export const TOKEN_TTL_SECONDS = 900;

/** Secrets are 256 random bits: a fast hash is enough (nothing to brute-force), and checks stay cheap (ADR 21). */
export const hashSecret = (secret: string): string => `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
export const newSecret = (): string => randomBytes(32).toString('base64url');
export const newClientId = (): string => `cl_${randomBytes(8).toString('hex')}`;

interface IssuedToken {
  clientId: string;
  generation: number;
  expiresAt: number;
}

/**
 * The client-credentials grant and its tokens. Tokens are opaque and short-lived, kept only in
 * this process's memory by their hash (a restart ends them; clients ask again on 401, as OAuth
 * clients do). Every check reads the client's stream, so a rotation or revocation ends its
 * tokens at the next request.
 */
@Injectable()
export class ClientTokens implements MachineClientVerifier {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly commands: CommandPath,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue(clientId: string, secret: string): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    const state = /^cl_[0-9a-f]{16}$/.test(clientId) ? await this.client(clientId) : null;
    if (!state || state.status !== 'active' || !sameHash(state.secretHash, hashSecret(secret))) {
      throw unauthenticated('invalid-client', '接口客户端标识或密钥错误，或客户端已被吊销', { error: 'invalid_client' });
    }
    const now = this.clock.now().getTime();
    for (const [key, token] of this.tokens) if (token.expiresAt <= now) this.tokens.delete(key);
    const accessToken = `${MACHINE_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    this.tokens.set(tokenKey(accessToken), { clientId, generation: state.generation, expiresAt: now + TOKEN_TTL_SECONDS * 1000 });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS };
  }

  async verify(token: string): Promise<MachineClient | null> {
    const issued = this.tokens.get(tokenKey(token));
    if (!issued || issued.expiresAt <= this.clock.now().getTime()) return null;
    const state = await this.client(issued.clientId);
    if (state.status !== 'active' || state.generation !== issued.generation) return null;
    const { clientId, name, level, divisionCode, profile } = state;
    return { clientId, name, level, divisionCode, profile };
  }

  private async client(clientId: string): Promise<ApiClientState> {
    return (await this.commands.load(apiClientStream(clientId), apiClientDecider)).state;
  }
}

const tokenKey = (token: string): string => createHash('sha256').update(token).digest('hex');

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
