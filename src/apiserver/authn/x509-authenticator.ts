// Client certificates verified by the TLS layer against the cluster CA: user = CN, groups = every O,
// as upstream's x509 CommonNameUserConversion.
import type { IncomingMessage } from 'node:http';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { newUnauthorized } from '../../apimachinery/errors.ts';
import type { UserInfo } from './types.ts';

const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE_OID = '2.5.29.37.0';

type Outcome = { user: UserInfo } | { error: string } | null;

// A connection's certificate never changes, and clients keep connections alive: decide once per socket.
const bySocket = new WeakMap<TLSSocket, Outcome>();

/** The certificate's user; null without a client certificate; throws Unauthorized for one we do not trust. */
export function authenticateClientCertificate(req: IncomingMessage): UserInfo | null {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function') return null;
  let outcome = bySocket.get(socket);
  if (outcome === undefined) {
    outcome = inspect(socket);
    bySocket.set(socket, outcome);
  }
  if (outcome === null) return null;
  if ('error' in outcome) throw newUnauthorized();
  return { ...outcome.user, groups: [...outcome.user.groups] };
}

function inspect(socket: TLSSocket): Outcome {
  const cert = socket.getPeerCertificate(false) as DetailedPeerCertificate | null;
  if (!cert || Object.keys(cert).length === 0) return null;
  if (!socket.authorized) return { error: String(socket.authorizationError ?? 'certificate not trusted') };
  const eku = cert.ext_key_usage;
  if (eku && !eku.includes(CLIENT_AUTH_OID) && !eku.includes(ANY_EXTENDED_KEY_USAGE_OID)) {
    return { error: 'certificate specifies an incompatible key usage' };
  }
  const cn = last(cert.subject?.CN);
  // Upstream: a certificate without a common name identifies nobody (not an error).
  if (!cn) return null;
  return { user: { name: cn, groups: all(cert.subject?.O) } };
}

// Node gives a repeated attribute as an array, a single one as a string.
function all(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}

function last(value: string | string[] | undefined): string | undefined {
  const values = all(value);
  return values[values.length - 1];
}
