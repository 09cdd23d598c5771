// A third real client: Debian's python3-kubernetes (the generated Python client and its Watch) runs
// python/client_checks.py against k8ts and the test asserts what the script saw, as a Python operator
// would see it: typed models from our JSON, ApiException codes and reasons, defaults, watch events.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestServer, uniqueName, type TestServer } from '../helpers/index.ts';

const SCRIPT = fileURLToPath(new URL('./python/client_checks.py', import.meta.url));

/**
 * The first interpreter that can import the client. The PATH python3 may be a private build (pyenv)
 * that does not see Debian's dist-packages, so Debian's own interpreter is tried too.
 */
function findPython(): string | undefined {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(candidate, ['-c', 'import kubernetes'], { stdio: 'ignore' });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

const python = findPython();
const skip = python ? false : 'python3-kubernetes is not installed (apt-get install python3-kubernetes)';

const T = { timeout: 120_000 };

interface ApiError { status: number; reason: string; kind: string; message: string }
interface Result {
  configMap: {
    createdUid: boolean; createdRv: string; createdTimestamp: string;
    readData: Record<string, string>; replacedData: Record<string, string>; replacedRv: string; patchedData: Record<string, string>;
    listKind: string; listApiVersion: string; listRv: boolean; listNames: string[]; emptyListItems: unknown[];
    conflict: ApiError; deleteStatus: string; notFound: ApiError;
  };
  deployment: Record<string, string | number>;
  scale: { kind: string; replicas: number; selector: string };
  watch: { start: string; events: { type: string; name: string; data: Record<string, string>; rv: string }[]; quietEvents: number };
}

function runScript(kubeconfig: string, namespace: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(python!, [SCRIPT, kubeconfig, namespace], { timeout: 100_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`client_checks.py failed: ${err.message}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout) as Result);
      } catch {
        reject(new Error(`client_checks.py printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}

describe('python3-kubernetes', { skip }, () => {
  let server: TestServer;
  let result: Result;
  const namespace = uniqueName('py');
  before(async () => {
    server = await startTestServer();
    result = await runScript(server.kubeconfigPath, namespace);
  }, T);
  after(async () => {
    await server?.close();
  });

  test('ConfigMap create, read, replace, patch, list by label and delete', () => {
    const cm = result.configMap;
    assert.equal(cm.createdUid, true);
    assert.match(cm.createdRv, /^\d+$/);
    assert.ok(!Number.isNaN(Date.parse(cm.createdTimestamp)), `creationTimestamp parses: ${cm.createdTimestamp}`);
    assert.deepEqual(cm.readData, { a: '1' });
    assert.deepEqual(cm.replacedData, { a: '2' });
    assert.ok(Number(cm.replacedRv) > Number(cm.createdRv), 'replace bumps the resourceVersion');
    assert.deepEqual(cm.patchedData, { a: '2', b: '3' }, 'a dict patch merges');
    assert.equal(cm.listKind, 'ConfigMapList');
    assert.equal(cm.listApiVersion, 'v1');
    assert.equal(cm.listRv, true);
    assert.deepEqual(cm.listNames, ['cm'], 'the label selector leaves out unlabelled config maps');
    assert.deepEqual(cm.emptyListItems, []);
    assert.equal(cm.deleteStatus, 'Success');
  });

  test('a missing object is an ApiException 404 NotFound', () => {
    const e = result.configMap.notFound;
    assert.deepEqual({ status: e.status, reason: e.reason, kind: e.kind }, { status: 404, reason: 'NotFound', kind: 'Status' });
    assert.equal(e.message, 'configmaps "cm" not found');
  });

  test('creating an existing object is an ApiException 409 AlreadyExists', () => {
    const e = result.configMap.conflict;
    assert.deepEqual({ status: e.status, reason: e.reason, kind: e.kind }, { status: 409, reason: 'AlreadyExists', kind: 'Status' });
    assert.equal(e.message, 'configmaps "cm" already exists');
  });

  test('a Deployment reads back with the server defaults', () => {
    assert.deepEqual(result.deployment, {
      replicas: 1,
      strategyType: 'RollingUpdate',
      maxSurge: '25%',
      maxUnavailable: '25%',
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'Always',
      generation: 1,
    });
  });

  test('the scale subresource patches as a V1Scale', () => {
    assert.deepEqual(result.scale, { kind: 'Scale', replicas: 3, selector: 'app=web' });
  });

  test('watch.Watch().stream with timeout_seconds sees ADDED, MODIFIED, DELETED in order', () => {
    const { start, events } = result.watch;
    assert.deepEqual(events.map((e) => `${e.type} ${e.name}`), ['ADDED watched', 'MODIFIED watched', 'DELETED watched']);
    assert.deepEqual(events[1]?.data, { v: '2' });
    const rvs = events.map((e) => Number(e.rv));
    assert.ok(Number(start) < rvs[0]! && rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!, `resourceVersions increase from ${start}: ${rvs.join(',')}`);
    assert.equal(result.watch.quietEvents, 0, 'a watch with nothing to report ends after timeout_seconds');
  });
});
