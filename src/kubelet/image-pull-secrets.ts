// Registry credentials from a pod's imagePullSecrets (credentialprovider/secrets): kubernetes.io/
// dockerconfigjson and legacy dockercfg secrets, matched to the image's registry host the way the
// docker keyring does (exact host, with or without scheme and path; docker.io's aliases).
import { parseImageReference } from './images/image-reference.ts';

type Obj = Record<string, any>;

export interface RegistryAuth { username?: string; password?: string; auth?: string }

const DOCKER_HUB_ALIASES = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1/'];

function hostOf(key: string): string {
  return key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

function authsOf(secret: Obj): Record<string, Obj> {
  const data: Obj = secret?.data ?? {};
  try {
    if (data['.dockerconfigjson']) return JSON.parse(Buffer.from(data['.dockerconfigjson'], 'base64').toString('utf8')).auths ?? {};
    if (data['.dockercfg']) return JSON.parse(Buffer.from(data['.dockercfg'], 'base64').toString('utf8')) ?? {};
  } catch { /* a malformed secret gives no credentials, as upstream logs and skips it */ }
  return {};
}

/** Credentials to try, in secret order, for pulling `image`. */
export function credentialsFor(image: string, secrets: Obj[]): RegistryAuth[] {
  let domain: string;
  try { domain = parseImageReference(image).domain; } catch { return []; }
  const wanted = DOCKER_HUB_ALIASES.includes(domain) ? DOCKER_HUB_ALIASES.map(hostOf) : [domain];
  const out: RegistryAuth[] = [];
  for (const s of secrets) {
    for (const [key, entry] of Object.entries(authsOf(s))) {
      if (!wanted.includes(hostOf(key))) continue;
      const a: RegistryAuth = {};
      if (entry.username) a.username = entry.username;
      if (entry.password) a.password = entry.password;
      if (entry.auth) a.auth = entry.auth;
      out.push(a);
    }
  }
  return out;
}
