// Deleting a Job without saying what happens to its pods: batch/v1 orphans them by default, and the
// API server warns about it, as kube-apiserver does; a chosen propagationPolicy silences the warning.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, createObject, kubectl, startTestServer, type TestServer } from '../helpers/index.ts';

const T = { timeout: 90_000 };
const WARNING = 'child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server?.close(); });

async function createJob(ns: string, name: string) {
  return createObject(server, `/apis/batch/v1/namespaces/${ns}/jobs`, {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } },
  });
}

describe('deleting a Job', { concurrency: 2 }, () => {
  test('without a propagationPolicy, kubectl prints the orphaning warning on stderr', T, async () => {
    const ns = await createNamespace(server, 'jobdel');
    await createJob(ns, 'pi');
    // `kubectl delete job` always sends propagationPolicy=Background; --raw sends no options, like
    // a client library's plain delete.
    const r = await kubectl(['delete', '--raw', `/apis/batch/v1/namespaces/${ns}/jobs/pi`], { kubeconfig: server.kubeconfigPath });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.trim(), `Warning: ${WARNING}`);
    // The default is orphaning: the Job waits for the garbage collector with the orphan finalizer.
    const job = (await server.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/pi`)).json;
    assert.deepEqual(job.metadata.finalizers, ['orphan']);
  });

  test('the warning is a 299 Warning header on delete and deletecollection; a chosen policy has none', T, async () => {
    const ns = await createNamespace(server, 'jobdel');
    for (const name of ['a', 'b', 'c']) await createJob(ns, name);
    const plain = await server.request('DELETE', `/apis/batch/v1/namespaces/${ns}/jobs/a`);
    assert.equal(plain.status, 200, plain.body);
    assert.equal(plain.headers.warning, `299 - ${JSON.stringify(WARNING)}`);
    for (const policy of ['Background', 'Orphan', 'Foreground']) {
      const chosen = await server.request('DELETE', `/apis/batch/v1/namespaces/${ns}/jobs/b?dryRun=All&propagationPolicy=${policy}`);
      assert.equal(chosen.status, 200, chosen.body);
      assert.equal(chosen.headers.warning, undefined, `propagationPolicy=${policy}`);
    }
    const orphanDependents = await server.request('DELETE', `/apis/batch/v1/namespaces/${ns}/jobs/b?dryRun=All`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', orphanDependents: false } });
    assert.equal(orphanDependents.headers.warning, undefined, 'orphanDependents is a choice too');
    const collection = await server.request('DELETE', `/apis/batch/v1/namespaces/${ns}/jobs?labelSelector=none%3Dmatch`);
    assert.equal(collection.status, 200, collection.body);
    assert.equal(collection.headers.warning, `299 - ${JSON.stringify(WARNING)}`);
  });

  test('kubectl delete job (propagationPolicy=Background) prints no warning', T, async () => {
    const ns = await createNamespace(server, 'jobdel');
    await createJob(ns, 'pi');
    const r = await kubectl(['delete', 'job', 'pi', '-n', ns], { kubeconfig: server.kubeconfigPath });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'job.batch "pi" deleted');
    assert.equal(r.stderr.trim(), '');
  });

  test('other kinds never carry the warning', T, async () => {
    const ns = await createNamespace(server, 'jobdel');
    await createObject(server, `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    const res = await server.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/cm`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.warning, undefined);
  });
});
