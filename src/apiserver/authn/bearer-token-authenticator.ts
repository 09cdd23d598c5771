// `Authorization: Bearer <token>` checked against the static token table (upstream's bearertoken +
// tokenfile authenticators).
import type { IncomingMessage } from 'node:http';
import { newUnauthorized } from '../../apimachinery/errors.ts';
import type { TokenTable } from './token-file.ts';
import type { UserInfo } from './types.ts';

/** The token's user; null when the request carries no bearer token; throws Unauthorized for an unknown one. */
export function authenticateBearerToken(req: IncomingMessage, tokens: TokenTable): UserInfo | null {
  const auth = (req.headers.authorization ?? '').trim();
  if (auth === '') return null;
  const parts = auth.split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return null;
  // "Bearer  token" (two spaces) leaves an empty token: upstream treats it as no token at all.
  const token = parts[1]!;
  if (token === '') return null;
  const user = tokens.get(token);
  if (!user) throw newUnauthorized();
  // Authenticated: nothing later in the request may be tempted to reuse the credential.
  delete req.headers.authorization;
  return { ...user, groups: [...user.groups] };
}
