// A read-only Docker Registry HTTP API v2 over plain HTTP, serving the images of the tarballs in the
// images folder. containerd (and dockerd) use it as the mirror of docker.io, registry.k8s.io and
// k8ts.local, so imagePullPolicy Always pulls work offline and unknown images fail with a registry's
// 404 MANIFEST_UNKNOWN. A mirror request carries the original registry in `?ns=` (containerd's
// hosts.toml mirrors); without it the name is read as Docker does (library/busybox is docker.io's).
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseImageReference, repositoryName } from './image-reference.ts';
import { MediaType } from './oci-image-types.ts';
import { folderSignature, loadCatalog, type Catalog, type CatalogRepository, type ServedManifest } from './registry-catalog.ts';

export interface LocalRegistryOptions {
  imagesDir: string;
  host?: string;
  port?: number;
  /** Problems only: tarballs that cannot be served, failed requests. */
  log?: (line: string) => void;
  /** Every request, e.g. for tests that check a pull went through the mirror. */
  onRequest?: (method: string, pathAndQuery: string) => void;
}

export interface LocalRegistry {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
}

const API_VERSION_HEADER = { 'Docker-Distribution-API-Version': 'registry/2.0' };

function sendError(res: ServerResponse, status: number, code: string, message: string, detail?: unknown): void {
  const body = Buffer.from(JSON.stringify({ errors: [{ code, message, detail: detail ?? null }] }));
  res.writeHead(status, { ...API_VERSION_HEADER, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function accepted(req: IncomingMessage): Set<string> {
  const header = req.headers.accept ?? '';
  return new Set(header.split(',').map((s) => s.split(';')[0]!.trim()).filter(Boolean));
}

/** The OCI manifest unless the client lists Docker schema2 but not OCI (older Docker clients). */
function chooseManifest(req: IncomingMessage, tagged: { oci: ServedManifest; docker?: ServedManifest }): ServedManifest {
  const types = accepted(req);
  if (tagged.docker && types.has(MediaType.dockerManifest) && !types.has(tagged.oci.mediaType)) return tagged.docker;
  return tagged.oci;
}

function findRepository(catalog: Catalog, name: string, ns: string | null): CatalogRepository | undefined {
  if (ns) {
    const full = ns === 'docker.io' && !name.includes('/') ? `docker.io/library/${name}` : `${ns}/${name}`;
    return catalog.repositories.get(full);
  }
  let full: string;
  try {
    full = repositoryName(parseImageReference(name));
  } catch {
    return undefined;
  }
  const direct = catalog.repositories.get(full);
  if (direct) return direct;
  // A pull straight from this registry (127.0.0.1:PORT/pause:3.10): the first repository with that path.
  for (const [repo, contents] of catalog.repositories) if (repo.slice(repo.indexOf('/') + 1) === name) return contents;
  return undefined;
}

/** The request handler alone (no listening), reading the catalog of imagesDir afresh when it changed. */
export function createRegistryHandler(opts: Pick<LocalRegistryOptions, 'imagesDir' | 'log' | 'onRequest'>): RequestListener {
  let cached: { signature: string; catalog: Promise<Catalog> } | undefined;
  const current = async (): Promise<Catalog> => {
    const signature = await folderSignature(opts.imagesDir);
    if (!cached || cached.signature !== signature) cached = { signature, catalog: loadCatalog(opts.imagesDir, opts.log) };
    return cached.catalog;
  };

  return (req, res) => {
    handle(req, res).catch((err: Error) => {
      opts.log?.(`local registry: ${req.method} ${req.url}: ${err.message}`);
      if (!res.headersSent) sendError(res, 500, 'UNKNOWN', 'unknown error', err.message);
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://registry');
    opts.onRequest?.(req.method ?? 'GET', `${url.pathname}${url.search}`);
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      res.writeHead(200, { ...API_VERSION_HEADER, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': 2 });
      res.end(req.method === 'HEAD' ? undefined : '{}');
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname) ?? /^\/v2\/(.+)\/(tags)\/list$/.exec(url.pathname);
    if (!m) {
      sendError(res, 404, 'NOT_FOUND', 'page not found');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'UNSUPPORTED', 'The operation is unsupported.');
      return;
    }
    const [, name, kind, reference] = m as unknown as [string, string, string, string];
    const catalog = await current();
    const repo = findRepository(catalog, name, url.searchParams.get('ns'));

    if (kind === 'tags') {
      if (!repo) return sendError(res, 404, 'NAME_UNKNOWN', 'repository name not known to registry', { name });
      const body = Buffer.from(JSON.stringify({ name, tags: [...repo.tags.keys()].sort() }));
      res.writeHead(200, { ...API_VERSION_HEADER, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }

    if (kind === 'manifests') {
      const isDigest = reference.includes(':');
      const tagged = !isDigest ? repo?.tags.get(reference) : undefined;
      const manifest = isDigest ? repo?.manifests.get(reference) : tagged && chooseManifest(req, tagged);
      if (!manifest) {
        const detail = isDigest ? { Name: name, Revision: reference } : { Tag: reference };
        return sendError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown', detail);
      }
      res.writeHead(200, {
        ...API_VERSION_HEADER,
        'Content-Type': manifest.mediaType,
        'Content-Length': manifest.body.length,
        'Docker-Content-Digest': manifest.digest,
        ETag: `"${manifest.digest}"`,
      });
      res.end(req.method === 'HEAD' ? undefined : manifest.body);
      return;
    }

    const blob = repo ? catalog.blobs.get(reference) : undefined;
    if (!blob) return sendError(res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry', reference);
    let start = 0;
    let end = blob.size - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), blob.size - 1) : blob.size - 1;
      if (start > end) {
        res.writeHead(416, { ...API_VERSION_HEADER, 'Content-Range': `bytes */${blob.size}` });
        res.end();
        return;
      }
      status = 206;
    }
    res.writeHead(status, {
      ...API_VERSION_HEADER,
      'Content-Type': 'application/octet-stream',
      'Content-Length': end - start + 1,
      'Docker-Content-Digest': reference,
      'Accept-Ranges': 'bytes',
      ETag: `"${reference}"`,
      ...(status === 206 ? { 'Content-Range': `bytes ${start}-${end}/${blob.size}` } : {}),
    });
    if (req.method === 'HEAD' || blob.size === 0) {
      res.end();
      return;
    }
    const stream = createReadStream(blob.file, { start: blob.offset + start, end: blob.offset + end });
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }
}

export async function startLocalRegistry(opts: LocalRegistryOptions): Promise<LocalRegistry> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer(createRegistryHandler(opts));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
