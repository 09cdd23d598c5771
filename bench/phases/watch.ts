// Watch delivery: `watchers` watches on one namespace, then `updates` PUTs from `concurrency` clients,
// each stamping its send time (performance.now() of this process) into a data value. Each event's
// latency is receipt − send; the rate is events delivered ÷ (last receipt − first send).
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ApiClient } from '../https-client.ts';
import { configMap, configMapsPath, resourceVersionOf, value, type ObjectRef } from '../configmaps.ts';
import { runClosedLoop, type LoadResult } from '../load.ts';
import { summarize } from '../stats.ts';
import { createConfigMaps, createNamespace } from './crud.ts';
import { onWatchEvents } from '../watch-events.ts';

/** How long to wait for events still missing after the last write; the shortfall is then an error. */
const DELIVERY_LIMIT_MS = 60_000;

export interface WatchOptions {
  namespace: string;
  watchers: number;
  updates: number;
  concurrency: number;
}

export async function watchDelivery(client: ApiClient, opts: WatchOptions): Promise<LoadResult & { note: string }> {
  await createNamespace(client, opts.namespace);
  const objects: ObjectRef[] = [];
  const setup = await runSetup(client, opts, objects);
  const listed = await client.request('GET', `${configMapsPath(opts.namespace)}?limit=1`);
  const fromRevision = resourceVersionOf(listed.body);
  if (listed.status !== 200 || !fromRevision) throw new Error(`list before watch: ${listed.status}`);

  const errors: Record<string, number> = { ...setup };
  const fail = (code: string, n = 1) => { errors[code] = (errors[code] ?? 0) + n; };
  const latenciesMs: number[] = [];
  let lastReceipt = 0;
  const expected = objects.length;
  const streams: IncomingMessage[] = [];
  const done: Promise<void>[] = [];
  for (let w = 0; w < opts.watchers; w++) {
    const res = await client.stream(`${configMapsPath(opts.namespace)}?watch=1&resourceVersion=${fromRevision}`);
    streams.push(res);
    if (res.statusCode !== 200) {
      fail(`watch ${res.statusCode}`);
      res.resume();
      continue;
    }
    done.push(consume(res, expected, (sentAt) => {
      const now = performance.now();
      latenciesMs.push(now - sentAt);
      lastReceipt = now;
    }, fail));
  }

  const firstSend = performance.now();
  const writes = await runClosedLoop(objects.length, opts.concurrency, async (i) => {
    const o = objects[i]!;
    const res = await client.request('PUT', configMapsPath(o.namespace, o.name),
      configMap(o.namespace, o.name, { key7: value(performance.now().toFixed(3)) }, o.resourceVersion));
    return res.status;
  });
  for (const [code, n] of Object.entries(writes.errors)) fail(`write ${code}`, n);

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), DELIVERY_LIMIT_MS); });
  await Promise.race([Promise.all(done), timedOut]);
  clearTimeout(timer);
  for (const s of streams) s.destroy();

  const missing = done.length * expected - latenciesMs.length;
  if (missing > 0) fail('events not delivered', missing);
  const writeP99 = summarize(writes.latenciesMs).p99Ms;
  return {
    ops: latenciesMs.length,
    seconds: ((lastReceipt || performance.now()) - firstSend) / 1000,
    latenciesMs,
    errors,
    note: `${opts.watchers} watchers × ${expected} updates; the updates themselves: ${(expected / writes.seconds).toFixed(0)}/s, p99 ${writeP99.toFixed(1)} ms`,
  };
}

async function runSetup(client: ApiClient, opts: WatchOptions, objects: ObjectRef[]): Promise<Record<string, number>> {
  const created = await createConfigMaps(client, [{ name: opts.namespace, count: opts.updates }], opts.concurrency, objects);
  const errors: Record<string, number> = {};
  for (const [code, n] of Object.entries(created.errors)) errors[`setup ${code}`] = n;
  return errors;
}

/** Reads newline-delimited watch events until `expected` MODIFIED events have arrived or the stream ends. */
function consume(res: IncomingMessage, expected: number, onModified: (sentAt: number) => void, fail: (code: string) => void): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    onWatchEvents<{ data?: Record<string, string> } | undefined>(res, (event) => {
      if (event.type === 'MODIFIED') {
        onModified(parseFloat(event.object?.data?.key7 ?? 'NaN'));
        if (++seen === expected) resolve();
      } else if (event.type !== 'BOOKMARK') {
        fail(`watch event ${event.type}`);
      }
    }, fail);
    res.on('end', resolve);
    res.on('close', resolve);
    res.on('error', () => resolve());
  });
}
