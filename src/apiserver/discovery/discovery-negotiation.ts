// Which discovery document a request asked for. client-go sends
//   Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,
//           application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json
// and decides how to parse the body from the response Content-Type, so the aggregated answer must
// carry the same parameters. We serve JSON only; protobuf ranges are skipped.
import type { DiscoveryVersion } from './aggregated-discovery.ts';

export interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

/** RFC 9110 Accept parsing: media ranges with parameters, sorted by q (stable). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [mt, ...rest] = part.split(';').map((s) => s.trim());
    if (!mt) continue;
    const [type = '', subtype = ''] = mt.toLowerCase().split('/');
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'q') q = Number(value);
      else params[key] = value;
    }
    if (Number.isNaN(q) || q <= 0) continue;
    ranges.push({ type, subtype, params, q });
  }
  return ranges.map((r, i) => ({ r, i })).sort((a, b) => b.r.q - a.r.q || a.i - b.i).map((x) => x.r);
}

export function aggregatedDiscoveryContentType(version: DiscoveryVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

export type DiscoveryFormat =
  | { format: 'aggregated'; version: DiscoveryVersion; contentType: string }
  | { format: 'legacy'; contentType: 'application/json' };

/** Undefined when nothing acceptable is offered (the caller answers 406 Not Acceptable). */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFormat | undefined {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { format: 'legacy', contentType: 'application/json' };
  for (const r of ranges) {
    const jsonish = (r.type === 'application' && (r.subtype === 'json' || r.subtype === '*')) || (r.type === '*' && r.subtype === '*');
    if (!jsonish) continue;
    if (r.params.g !== undefined || r.params.as !== undefined) {
      if (r.params.g === 'apidiscovery.k8s.io' && r.params.as === 'APIGroupDiscoveryList' && (r.params.v === 'v2' || r.params.v === 'v2beta1')) {
        return { format: 'aggregated', version: r.params.v, contentType: aggregatedDiscoveryContentType(r.params.v) };
      }
      continue;
    }
    return { format: 'legacy', contentType: 'application/json' };
  }
  return undefined;
}
