// The request authenticator chain, as kube-apiserver assembles it: client certificate, then bearer
// token; the first that recognises the request wins. A presented-but-bad credential is an error only
// when nothing else authenticates the request. Every authenticated user gets system:authenticated.
import type { IncomingMessage } from 'node:http';
import { isStatusError } from '../../apimachinery/errors.ts';
import { authenticateBearerToken } from './bearer-token-authenticator.ts';
import type { TokenTable } from './token-file.ts';
import type { Authenticator, UserInfo } from './types.ts';
import { authenticateClientCertificate } from './x509-authenticator.ts';

export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';

export interface AuthenticatorConfig {
  /** From --token-auth-file; absent = bearer tokens are not checked (and not accepted). */
  tokens?: TokenTable;
}

type RequestAuthenticator = (req: IncomingMessage) => UserInfo | null;

export function createAuthenticator(config: AuthenticatorConfig = {}): Authenticator {
  const chain: RequestAuthenticator[] = [authenticateClientCertificate];
  const tokens = config.tokens;
  if (tokens) chain.push((req) => authenticateBearerToken(req, tokens));
  return (req) => {
    let failure: unknown;
    for (const authenticate of chain) {
      try {
        const user = authenticate(req);
        if (user) return withAuthenticatedGroup(user);
      } catch (err) {
        if (!isStatusError(err)) throw err;
        failure ??= err;
      }
    }
    if (failure) throw failure;
    return null;
  };
}

function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(ALL_AUTHENTICATED) || user.groups.includes(ALL_UNAUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED] };
}
