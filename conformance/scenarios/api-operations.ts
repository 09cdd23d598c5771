// The shared shape of upstream's "should support X API operations" tests: discovery documents list the
// group, version and resource; then create, get, list, watch, patch, update, (status), delete and
// delete-collection.
import { assert } from '../framework/expect.ts';
import type { ScenarioContext } from '../framework/context.ts';
import { describeEvent, type EventStream } from '../framework/watch.ts';

/** /apis lists the group, /apis/GROUP lists the version, /apis/GROUP/VERSION lists the resources. */
export async function expectDiscovered(ctx: ScenarioContext, group: string, version: string, resources: string[]): Promise<void> {
  const apis = await ctx.raw('GET', '/apis');
  assert.equal(apis.status, 200, 'GET /apis');
  const g = (apis.json?.groups ?? []).find((x: any) => x.name === group);
  assert.ok(g, `API group ${group} is not in /apis`);
  assert.ok(g.versions?.some((v: any) => v.version === version), `${group}/${version} is not in /apis`);

  const groupDoc = await ctx.raw('GET', `/apis/${group}`);
  assert.equal(groupDoc.status, 200, `GET /apis/${group}`);
  assert.ok(groupDoc.json?.versions?.some((v: any) => v.version === version), `${group}/${version} is not in /apis/${group}`);

  const list = await ctx.raw('GET', `/apis/${group}/${version}`);
  assert.equal(list.status, 200, `GET /apis/${group}/${version}`);
  const names = (list.json?.resources ?? []).map((r: any) => r.name);
  for (const r of resources) assert.ok(names.includes(r), `${r} is not in /apis/${group}/${version} (found ${names.join(', ')})`);
}

/** Reads a watch opened at the list's resourceVersion until the patched annotation shows: every event
 *  before it must be MODIFIED, as upstream asserts. */
export async function expectPatchedAnnotationEvent(w: EventStream): Promise<void> {
  for (;;) {
    const e = await w.next(30_000);
    assert.equal(e.type, 'MODIFIED', `watch event ${describeEvent(e)}: expected only MODIFIED events after the list`);
    if (e.object?.metadata?.annotations?.patched === 'true') return;
  }
}
