export type { Authenticator, UserInfo } from './types.ts';
export { createAuthenticator, ALL_AUTHENTICATED, ALL_UNAUTHENTICATED } from './create-authenticator.ts';
export type { AuthenticatorConfig } from './create-authenticator.ts';
export { parseTokenCSV, loadTokenFile, parseCSV } from './token-file.ts';
export type { TokenTable } from './token-file.ts';
export { authenticateClientCertificate } from './x509-authenticator.ts';
export { authenticateBearerToken } from './bearer-token-authenticator.ts';
