// Chunked watch streams: one JSON {"type","object"} per line, as upstream's watch server writes them.
import { newBadRequest, type StatusError } from '../../apimachinery/errors.ts';
import { queryBool } from '../../apimachinery/query-bool.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { watchStore, type WatchObject } from '../../registry/generic/watch.ts';
import { negotiate } from '../negotiation.ts';
import { encode, contentTypeOf } from '../respond.ts';
import { buildPredicate, fieldsOf } from '../selectors.ts';
import { includeObjectOf, partialObjectMetadata, toTable } from '../table.ts';
import { queryInt, queryString, type Handler } from './scope.ts';

// Upstream ends watches after a random time in [minRequestTimeout, 2×) so clients re-list spread out.
const MIN_REQUEST_TIMEOUT_S = 1800;
const BOOKMARK_INTERVAL_MS = 60_000;

export const watchResource: Handler = async (req, res, scope) => {
  const n = negotiate(req.headers.accept, ['Table', 'PartialObjectMetadata']);
  let timeout = queryInt(req, 'timeoutSeconds');
  if (timeout !== undefined && (Number.isNaN(timeout) || timeout < 0)) throw newBadRequest('invalid value for timeoutSeconds');
  timeout ??= Math.floor(MIN_REQUEST_TIMEOUT_S * (1 + Math.random()));
  const allowBookmarks = queryBool(req.query.allowWatchBookmarks) === true;
  const sendInitialEvents = queryBool(req.query.sendInitialEvents);
  const rvMatch = queryString(req, 'resourceVersionMatch');
  if (sendInitialEvents !== undefined && rvMatch !== 'NotOlderThan') {
    throw newBadRequest('sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan');
  }
  if (sendInitialEvents && !allowBookmarks) {
    throw newBadRequest('sendInitialEvents requires setting allowWatchBookmarks=true');
  }
  let predicate = buildPredicate(scope.def, queryString(req, 'labelSelector'), queryString(req, 'fieldSelector'));
  if (scope.info.name) {
    // A watch on one object (the /watch/…/{name} form) is a field selector on metadata.name.
    const base = predicate;
    const name = scope.info.name;
    predicate = (o: KObject) => fieldsOf(scope.def, o)['metadata.name'] === name && (!base || base(o));
  }

  res.status(200);
  res.setHeader('Content-Type', contentTypeOf(n.format));
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.flushHeaders();

  let firstTable = true;
  const includeObject = includeObjectOf(req.query.includeObject);
  const render = (obj: KObject): unknown => {
    if (n.view === 'Table') {
      const t = toTable(scope.def, [obj], { resourceVersion: obj.metadata.resourceVersion }, {
        includeObject, viewVersion: n.viewVersion, now: scope.now(), noHeaders: !firstTable,
      });
      firstTable = false;
      return t;
    }
    if (n.view === 'PartialObjectMetadata') return partialObjectMetadata(obj, n.viewVersion);
    return obj;
  };
  const write = (type: string, object: unknown) => {
    if (res.writableEnded) return;
    res.write(n.format === 'json' ? JSON.stringify({ type, object }) + '\n' : `---\n${encode({ type, object }, 'yaml', false)}`);
  };
  // An object itself (the usual watch) is encoded once per event and format, and the same bytes go
  // to every watcher of the event; the views are built per watcher from a private copy.
  const writeEvent = (type: string, o: WatchObject) => {
    if (res.writableEnded) return;
    if (n.view !== 'object') { write(type, render(JSON.parse(o.json) as KObject)); return; }
    const key = `${n.format} ${type}`;
    let line = o.encodings.get(key);
    if (!line) {
      line = Buffer.from(n.format === 'json' ? `{"type":"${type}","object":${o.json}}\n` : `---\n${encode({ type, object: o.object }, 'yaml', false)}`);
      o.encodings.set(key, line);
    }
    res.write(line);
  };

  let lastBookmark = Date.now();
  let lastRv = '';
  // The newest event since the last bookmark; its resourceVersion is read only when a bookmark needs it.
  let lastEvent: WatchObject | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    handle.stop();
    unregister();
    res.end();
  };
  const bookmarkObject = (rv: string, annotations?: Record<string, string>) => ({
    kind: scope.def.kind, apiVersion: scope.store.apiVersion,
    metadata: annotations ? { resourceVersion: rv, annotations } : { resourceVersion: rv },
  });
  const handle = watchStore(scope.store, scope.registry.storage, scope.ctx, {
    predicate, resourceVersion: queryString(req, 'resourceVersion'), sendInitialEvents,
  }, {
    event: (type, o) => { lastEvent = o; writeEvent(type, o); },
    bookmark: (rv, initialEventsEnd) => {
      if (!allowBookmarks) return;
      if (lastEvent) { lastRv = lastEvent.object.metadata.resourceVersion ?? lastRv; lastEvent = undefined; }
      if (initialEventsEnd) { write('BOOKMARK', bookmarkObject(rv, { 'k8s.io/initial-events-end': 'true' })); lastBookmark = Date.now(); return; }
      if (Date.now() - lastBookmark < BOOKMARK_INTERVAL_MS || rv === lastRv) return;
      lastBookmark = Date.now();
      lastRv = rv;
      write('BOOKMARK', bookmarkObject(rv));
    },
    error: (err: StatusError) => { write('ERROR', err.status); end(); },
  });
  const timer = setTimeout(end, timeout * 1000);
  const unregister = scope.watches.add(end);
  req.on('close', end);
  res.on('close', end);
};
