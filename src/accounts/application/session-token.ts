import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * Bearer token = "<accountId>.<sessionId>.<secret>". Only sha256(secret) is stored (in the
 * LoginSucceeded event); the guard re-checks the account's live session on every request.
 */
export interface IssuedToken {
  token: string;
  sessionId: string;
  tokenHash: string;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function issueToken(accountId: string): IssuedToken {
  const sessionId = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { token: `${accountId}.${sessionId}.${secret}`, sessionId, tokenHash: hashSecret(secret) };
}

export function parseToken(token: string): { accountId: string; sessionId: string; secret: string } | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0 || p.length > 100)) return null;
  const [accountId, sessionId, secret] = parts as [string, string, string];
  return { accountId, sessionId, secret };
}
