import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../shared/domain/domain-error.js';
import { Public } from '../../shared/http/public.decorator.js';
import { ClientTokens } from '../application/client-tokens.js';
import { TokenRequestDto, TokenResponseDto } from './api-clients.dto.js';

/** The OAuth 2.0 client-credentials grant (RFC 6749 section 4.4); errors carry the RFC's `error` code beside ours. */
@ApiTags('sharing')
@Controller('oauth')
export class OAuthController {
  constructor(private readonly tokens: ClientTokens) {}

  @Post('token')
  @Public()
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiOperation({ summary: '接口客户端获取访问令牌（OAuth 2.0 client_credentials）' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiResponse({ status: 400, description: 'grant_type 不是 client_credentials，或缺少客户端标识/密钥' })
  @ApiResponse({ status: 401, description: '客户端标识或密钥错误，或客户端已吊销' })
  async token(@Body() body: TokenRequestDto, @Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponseDto> {
    void reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    if (body.grant_type !== 'client_credentials') {
      throw new DomainError('validation', 'unsupported-grant-type', '只支持 grant_type=client_credentials', [], { error: 'unsupported_grant_type' });
    }
    const credentials = basic(authorization) ?? (body.client_id && body.client_secret ? { id: body.client_id, secret: body.client_secret } : null);
    if (!credentials) throw new DomainError('validation', 'client-credentials-missing', '请提供客户端标识和密钥（HTTP Basic 或 client_id/client_secret）', [], { error: 'invalid_request' });
    return this.tokens.issue(credentials.id, credentials.secret);
  }
}

/** RFC 6749 section 2.3.1: HTTP Basic with the form-encoded id and secret. */
function basic(header: string | undefined): { id: string; secret: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}
