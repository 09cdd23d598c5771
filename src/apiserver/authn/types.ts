import type { IncomingMessage } from 'node:http';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
}

/** Returns the user, null when the request carries no credentials, or throws newUnauthorized on bad ones. */
export type Authenticator = (req: IncomingMessage) => UserInfo | null;
