// Discovery, version and OpenAPI endpoints, served from documents generated from the registry.
import type { Express, Request, Response } from 'express';
import { newPathNotFound } from '../apimachinery/errors.ts';
import type { Registry } from '../registry/registry.ts';
import * as discovery from './discovery/index.ts';
import * as openapi from '../openapi/index.ts';
import { negotiate, parseAccept } from './negotiation.ts';
import { writeBody, writeError } from './respond.ts';

function wantsAggregated(req: Request): 'v2' | 'v2beta1' | undefined {
  for (const r of parseAccept(req.headers.accept)) {
    if (r.params.g === 'apidiscovery.k8s.io' && r.params.as === 'APIGroupDiscoveryList') {
      if (r.params.v === 'v2' || r.params.v === 'v2beta1') return r.params.v;
    }
  }
  return undefined;
}

function send(req: Request, res: Response, body: unknown, contentType?: string): void {
  try {
    if (contentType) {
      res.status(200).setHeader('Content-Type', contentType);
      res.end(JSON.stringify(body));
      return;
    }
    writeBody(req, res, 200, body, negotiate(req.headers.accept, []));
  } catch (err) {
    writeError(req, res, err);
  }
}

/** If-None-Match against our (strong) ETag: a list of tags, weak ones compared weakly, or `*`. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

export function installDiscovery(app: Express, registry: Registry, serverAddress: string): void {
  const defs = () => registry.defs;
  app.get('/version', (req, res) => send(req, res, discovery.versionInfo()));
  app.get('/api', (req, res) => {
    const agg = wantsAggregated(req);
    if (agg) return send(req, res, discovery.aggregatedDiscovery(defs(), 'core', agg), `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList`);
    send(req, res, discovery.coreApiVersions(serverAddress));
  });
  app.get('/apis', (req, res) => {
    const agg = wantsAggregated(req);
    if (agg) return send(req, res, discovery.aggregatedDiscovery(defs(), 'apis', agg), `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList`);
    send(req, res, discovery.apiGroupList(defs()));
  });
  app.get('/api/:version', (req, res) => {
    const v = String(req.params.version);
    if (!registry.hasGroupVersion('', v)) return writeError(req, res, newPathNotFound());
    send(req, res, discovery.apiResourceList(defs(), '', v));
  });
  app.get('/apis/:group', (req, res) => {
    const g = String(req.params.group);
    if (!registry.defs.some((d) => d.group === g)) return writeError(req, res, newPathNotFound());
    send(req, res, discovery.apiGroup(defs(), g));
  });
  app.get('/apis/:group/:version', (req, res) => {
    const g = String(req.params.group);
    const v = String(req.params.version);
    if (!registry.hasGroupVersion(g, v)) return writeError(req, res, newPathNotFound());
    send(req, res, discovery.apiResourceList(defs(), g, v));
  });
  app.get('/openapi/v2', (req, res) => {
    // JSON or gnostic protobuf (client-go's OpenAPISchema()), one ETag for both as kube-openapi does.
    res.append('Vary', 'Accept');
    const format = openapi.negotiateOpenAPIV2(req.headers.accept);
    if (!format) return res.status(406).end();
    const etag = `"${openapi.openapiV2Hash(defs())}"`;
    res.setHeader('ETag', etag);
    if (etagMatches(req.headers['if-none-match'], etag)) return res.status(304).end();
    if (format === 'protobuf') {
      res.status(200).setHeader('Content-Type', openapi.OPENAPI_V2_PROTOBUF_CONTENT_TYPE);
      return res.end(openapi.openapiV2Protobuf(defs()));
    }
    res.status(200).setHeader('Content-Type', 'application/json');
    res.end(openapi.openapiV2Json(defs()));
  });
  app.get('/openapi/v3', (req, res) => send(req, res, openapi.openapiV3Index(defs()), 'application/json'));
  app.get('/openapi/v3/{*path}', (req, res) => {
    const p = req.path.replace(/^\/openapi\/v3\//, '');
    const doc = openapi.openapiV3GroupVersionJson(defs(), p);
    if (!doc) return writeError(req, res, newPathNotFound());
    res.status(200).setHeader('Content-Type', 'application/json');
    res.end(doc);
  });
}
