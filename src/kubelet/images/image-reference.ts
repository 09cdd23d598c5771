// Image references normalized the way Docker and containerd do (distribution's ParseNormalizedNamed):
// "busybox" is docker.io/library/busybox:latest; a first component with a dot, a colon or "localhost"
// is a registry host.

export interface ImageReference {
  /** Registry host: docker.io, k8ts.local, 127.0.0.1:5000. */
  domain: string;
  /** Repository path inside the registry: library/busybox, pause. */
  path: string;
  tag?: string;
  digest?: string;
}

export function parseImageReference(ref: string): ImageReference {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (rest === '') throw new Error(`invalid reference format: ${JSON.stringify(ref)}`);
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  let domain = 'docker.io';
  let path = rest;
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    domain = first === 'index.docker.io' ? 'docker.io' : first;
    path = rest.slice(slash + 1);
  }
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (!tag && !digest) tag = 'latest';
  return { domain, path, tag, digest };
}

/** docker.io/library/busybox (no tag). */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** docker.io/library/busybox:latest, or …@sha256:… */
export function formatImageReference(ref: ImageReference): string {
  return `${repositoryName(ref)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The short form Docker prints and docker-archive RepoTags use: busybox:latest, k8ts.local/pause:3.10. */
export function familiarName(ref: ImageReference): string {
  let name = repositoryName(ref);
  if (ref.domain === 'docker.io') name = ref.path.startsWith('library/') ? ref.path.slice('library/'.length) : ref.path;
  return `${name}${ref.tag ? `:${ref.tag}` : ''}`;
}
