// Content negotiation as kube-apiserver does it: JSON and YAML, and the meta.k8s.io "as=" views
// (Table, PartialObjectMetadata[List]) that kubectl and informers ask for.
import { newNotAcceptable, newUnsupportedMediaType } from '../apimachinery/errors.ts';

export type OutputView = 'object' | 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

export interface Negotiated {
  format: 'json' | 'yaml';
  view: OutputView;
  /** meta.k8s.io version of the view (v1 or v1beta1). */
  viewVersion: string;
}

interface MediaRange { type: string; params: Record<string, string>; q: number }

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header.split(',').map((part) => {
    const [type = '', ...ps] = part.trim().split(';');
    const params: Record<string, string> = {};
    for (const p of ps) {
      const i = p.indexOf('=');
      if (i > 0) params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim().replace(/^"|"$/g, '');
    }
    const q = params.q !== undefined ? Number(params.q) : 1;
    delete params.q;
    return { type: type.trim().toLowerCase(), params, q: Number.isFinite(q) ? q : 0 };
  }).filter((m) => m.type && m.q > 0);
}

const ACCEPTED = 'application/json, application/yaml, application/vnd.kubernetes.protobuf';

/**
 * Pick the response form. `allowViews` lists the as= views this endpoint can produce
 * (lists: Table and PartialObjectMetadataList; objects: Table and PartialObjectMetadata).
 */
export function negotiate(accept: string | undefined, allowViews: OutputView[]): Negotiated {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { format: 'json', view: 'object', viewVersion: 'v1' };
  // Stable sort by q, keeping the client's order among equals.
  const sorted = ranges.map((r, i) => ({ r, i })).sort((a, b) => b.r.q - a.r.q || a.i - b.i).map((x) => x.r);
  for (const r of sorted) {
    const format = r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*' ? 'json'
      : r.type === 'application/yaml' ? 'yaml' : undefined;
    if (!format) continue;
    const as = r.params.as;
    if (!as) return { format, view: 'object', viewVersion: 'v1' };
    if (r.params.g !== 'meta.k8s.io' || !['v1', 'v1beta1'].includes(r.params.v ?? '')) continue;
    if (allowViews.includes(as as OutputView)) return { format, view: as as OutputView, viewVersion: r.params.v! };
  }
  throw newNotAcceptable(`only the following media types are accepted: ${ACCEPTED}`);
}

export type BodyFormat = 'json' | 'yaml' | 'protobuf';

/** Request body types for create/update (kubectl ≥ 1.32's typed clients send protobuf). */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const t = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (t === 'application/json' || t === '' ) return 'json';
  if (t === 'application/yaml' || t === 'application/x-yaml' || t === 'text/yaml') return 'yaml';
  if (t === 'application/vnd.kubernetes.protobuf') return 'protobuf';
  throw newUnsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${ACCEPTED}`);
}

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

export function patchKind(contentType: string | undefined): PatchKind {
  const t = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  switch (t) {
    case 'application/json-patch+json': return 'json';
    case 'application/merge-patch+json': return 'merge';
    case 'application/strategic-merge-patch+json': return 'strategic';
    case 'application/apply-patch+yaml': return 'apply';
    default:
      throw newUnsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
  }
}
