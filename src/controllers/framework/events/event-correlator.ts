// What client-go's EventCorrelator does before an event reaches the API: a spam filter (a source may
// send 25 events about one object, then 1 per 5 minutes), aggregation (the 10th event in 10 minutes
// that differs only by message becomes "(combined from similar events): …"), and de-duplication
// (an identical event bumps count and lastTimestamp on the existing Event by patch).
import { realClock, type Clock } from '../../../client/clock.ts';
import { TokenBucket } from '../../../client/rate-limiter.ts';
import { LRU } from './lru.ts';
import type { CoreEvent } from './types.ts';

const MAX_LRU_CACHE_ENTRIES = 4096;
const DEFAULT_AGGREGATE_MAX_EVENTS = 10;
const DEFAULT_AGGREGATE_INTERVAL_MS = 600_000;
const DEFAULT_SPAM_BURST = 25;
const DEFAULT_SPAM_QPS = 1 / 300;

export interface CorrelatorOptions {
  clock?: Clock;
  spamBurst?: number;
  spamQPS?: number;
  maxEvents?: number;
  maxIntervalMs?: number;
}

export interface CorrelateResult {
  event: CoreEvent;
  /** Set when an existing Event is to be updated: the strategic-merge patch to send. */
  patch?: Record<string, unknown>;
  skip: boolean;
}

const ref = (e: CoreEvent) => e.involvedObject;

/** Identical events (source, object, type, reason, message) share this key. */
export function getEventKey(e: CoreEvent): string {
  const r = ref(e);
  return [e.source.component, e.source.host, r.kind, r.namespace, r.name, r.fieldPath, r.uid, r.apiVersion, e.type, e.reason, e.message]
    .map((s) => s ?? '').join('');
}

function getSpamKey(e: CoreEvent): string {
  const r = ref(e);
  return [e.source.component, e.source.host, r.kind, r.namespace, r.name, r.uid, r.apiVersion].map((s) => s ?? '').join('');
}

/** Events that differ only by message share the aggregate key. */
function aggregateKeys(e: CoreEvent): { aggregateKey: string; localKey: string } {
  const r = ref(e);
  const aggregateKey = [e.source.component, e.source.host, r.kind, r.namespace, r.name, r.uid, r.apiVersion, e.type, e.reason, e.reportingComponent, e.reportingInstance]
    .map((s) => s ?? '').join('');
  return { aggregateKey, localKey: e.message };
}

interface AggregateRecord { localKeys: Set<string>; lastTimestamp: number }
interface EventLog { count: number; firstTimestamp: string; name: string; resourceVersion: string }

export class EventCorrelator {
  private readonly clock: Clock;
  private readonly spam = new LRU<string, TokenBucket>(MAX_LRU_CACHE_ENTRIES);
  private readonly aggregates = new LRU<string, AggregateRecord>(MAX_LRU_CACHE_ENTRIES);
  private readonly logs = new LRU<string, EventLog>(MAX_LRU_CACHE_ENTRIES);
  private readonly o: Required<Omit<CorrelatorOptions, 'clock'>>;

  constructor(opts: CorrelatorOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.o = {
      spamBurst: opts.spamBurst ?? DEFAULT_SPAM_BURST, spamQPS: opts.spamQPS ?? DEFAULT_SPAM_QPS,
      maxEvents: opts.maxEvents ?? DEFAULT_AGGREGATE_MAX_EVENTS, maxIntervalMs: opts.maxIntervalMs ?? DEFAULT_AGGREGATE_INTERVAL_MS,
    };
  }

  correlate(newEvent: CoreEvent): CorrelateResult {
    const { event: aggregated, cacheKey } = this.aggregate(newEvent);
    const { event, patch } = this.observe(aggregated, cacheKey);
    return { event, patch, skip: this.filter(event) };
  }

  /** Remember what the server now holds (name, count, resourceVersion) for the next duplicate. */
  updateState(event: CoreEvent): void {
    this.logs.set(getEventKey(event), {
      count: event.count, firstTimestamp: event.firstTimestamp, name: event.metadata.name!, resourceVersion: event.metadata.resourceVersion ?? '',
    });
  }

  private filter(e: CoreEvent): boolean {
    const key = getSpamKey(e);
    let bucket = this.spam.get(key);
    if (!bucket) bucket = new TokenBucket(this.o.spamQPS, this.o.spamBurst, this.clock);
    this.spam.set(key, bucket);
    return !bucket.tryAccept();
  }

  private aggregate(e: CoreEvent): { event: CoreEvent; cacheKey: string } {
    const now = this.clock.now();
    const eventKey = getEventKey(e);
    const { aggregateKey, localKey } = aggregateKeys(e);
    let record = this.aggregates.get(aggregateKey);
    if (!record || now - record.lastTimestamp > this.o.maxIntervalMs) record = { localKeys: new Set(), lastTimestamp: now };
    record.localKeys.add(localKey);
    record.lastTimestamp = now;
    this.aggregates.set(aggregateKey, record);
    if (record.localKeys.size < this.o.maxEvents) return { event: e, cacheKey: eventKey };
    // Do not let the set grow past the threshold.
    record.localKeys.delete(record.localKeys.values().next().value as string);
    const ts = toRFC3339(now);
    const event: CoreEvent = {
      ...e,
      metadata: { name: eventName(e.involvedObject.name ?? '', now), namespace: e.metadata.namespace },
      count: 1, firstTimestamp: ts, lastTimestamp: ts,
      message: `(combined from similar events): ${e.message}`,
    };
    return { event, cacheKey: aggregateKey };
  }

  private observe(e: CoreEvent, key: string): { event: CoreEvent; patch?: Record<string, unknown> } {
    const last = this.logs.get(key);
    if (!last || last.count <= 0) {
      this.logs.set(key, { count: e.count, firstTimestamp: e.firstTimestamp, name: e.metadata.name!, resourceVersion: e.metadata.resourceVersion ?? '' });
      return { event: e };
    }
    const event: CoreEvent = {
      ...e,
      metadata: { ...e.metadata, name: last.name, resourceVersion: last.resourceVersion },
      firstTimestamp: last.firstTimestamp,
      count: last.count + 1,
    };
    this.logs.set(key, { count: event.count, firstTimestamp: event.firstTimestamp, name: last.name, resourceVersion: last.resourceVersion });
    // The two-way merge patch client-go computes against a copy without count, lastTimestamp and message.
    const patch: Record<string, unknown> = { count: event.count, lastTimestamp: event.lastTimestamp };
    if (event.message) patch.message = event.message;
    return { event, patch };
  }
}

let lastNanos = 0n;

/**
 * "<object name>.<unix nanoseconds in hex>", as upstream names events. The clock gives milliseconds;
 * the nanoseconds are made strictly increasing so two events in one millisecond get distinct names.
 */
export function eventName(objectName: string, nowMs: number): string {
  let nanos = BigInt(Math.floor(nowMs)) * 1_000_000n;
  if (nanos <= lastNanos) nanos = lastNanos + 1n;
  lastNanos = nanos;
  return `${objectName}.${nanos.toString(16)}`;
}

/** metav1.Time: RFC 3339 with second precision. */
export function toRFC3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
