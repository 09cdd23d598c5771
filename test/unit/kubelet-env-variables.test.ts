// A container's environment as the kubelet builds it: envFrom then env, $(VAR) expansion over what
// is defined so far, valueFrom sources with upstream's error texts, service links, and command/args.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Container } from '@kubernetes/client-node';
import type { KObject } from '../../src/apimachinery/types.ts';
import { ApiError } from '../../src/client/api-error.ts';
import {
  expandCommandOnlyStatic, expandSubPathExpr, makeCommand, makeEnvironmentVariables, serviceEnvironment, servicesForPod,
  type EnvironmentOptions,
} from '../../src/kubelet/env/index.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const pod: KObject = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', uid: 'u-123', labels: { app: 'web', tier: 'front' }, annotations: { 'example.com/owner': 'ann' } },
  spec: { nodeName: 'node-a', serviceAccountName: 'builder', containers: [] },
};

const configMaps: Record<string, { data?: Record<string, string> }> = {
  settings: { data: { MODE: 'prod', LEVEL: 'debug', 'bad key': 'x', '1st': 'y' } },
};
const secrets: Record<string, { data?: Record<string, string> }> = {
  creds: { data: { USER: b64('admin'), PASS: b64('s3cret') } },
};

function options(extra: Partial<EnvironmentOptions> = {}): EnvironmentOptions & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    getConfigMap: async (_ns, name) => configMaps[name],
    // Not found as the API says it: an ApiError with reason NotFound.
    getSecret: async (_ns, name) => {
      if (!secrets[name]) throw ApiError.fromStatus({ code: 404, reason: 'NotFound', message: `secrets "${name}" not found` });
      return secrets[name];
    },
    podIP: '10.42.0.7', podIPs: ['10.42.0.7', 'fd00::7'], nodeIP: '192.168.1.10',
    nodeAllocatable: { cpu: '4', memory: '8Gi' },
    recordEvent: (type, reason, message) => events.push(`${type} ${reason} ${message}`),
    ...extra,
  };
}

const asObject = (env: { key: string; value: string }[]) => Object.fromEntries(env.map((e) => [e.key, e.value]));

describe('makeEnvironmentVariables', () => {
  test('values expand $(VAR) over earlier variables and service links; later ones are not seen', async () => {
    const c: V1Container = {
      name: 'app', env: [
        { name: 'A', value: 'a' },
        { name: 'B', value: '$(A)-b-$(C)' },
        { name: 'C', value: 'c' },
        { name: 'ESC', value: '$$(A)' },
        { name: 'SVC', value: 'http://$(DB_SERVICE_HOST):$(DB_SERVICE_PORT)' },
      ],
    };
    const env = asObject(await makeEnvironmentVariables(pod, c, options({ serviceEnv: [{ key: 'DB_SERVICE_HOST', value: '10.96.0.5' }, { key: 'DB_SERVICE_PORT', value: '5432' }] })));
    assert.equal(env.B, 'a-b-$(C)');
    assert.equal(env.ESC, '$(A)');
    assert.equal(env.SVC, 'http://10.96.0.5:5432');
    assert.equal(env.DB_SERVICE_HOST, '10.96.0.5', 'service variables are appended');
  });

  test('envFrom with prefix, env overriding it, invalid keys skipped with an event', async () => {
    const o = options();
    const c: V1Container = {
      name: 'app',
      envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }, { configMapRef: { name: 'settings' } }, { secretRef: { name: 'creds' } }],
      env: [{ name: 'MODE', value: 'override-$(CFG_MODE)' }],
    };
    const list = await makeEnvironmentVariables(pod, c, o);
    const env = asObject(list);
    assert.equal(env.CFG_MODE, 'prod');
    assert.equal(env.MODE, 'override-prod');
    assert.equal(env.PASS, 's3cret');
    assert.equal(env.CFG_1st, 'y', 'the prefix makes "1st" a valid name');
    assert.equal(env['1st'], undefined);
    assert.equal(list.filter((e) => e.key === 'MODE').length, 1, 'no duplicates');
    assert.deepEqual(o.events, [
      'Warning InvalidEnvironmentVariableNames Keys [CFG_bad key] from the EnvFrom configMap shop/settings were skipped since they are considered invalid environment variable names.',
      'Warning InvalidEnvironmentVariableNames Keys [1st, bad key] from the EnvFrom configMap shop/settings were skipped since they are considered invalid environment variable names.',
    ]);
  });

  test('fieldRef: metadata, subscripts, node and pod IPs', async () => {
    const f = (fieldPath: string) => ({ name: fieldPath, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
    const c: V1Container = {
      name: 'app', env: [
        f('metadata.name'), f('metadata.namespace'), f('metadata.uid'), f("metadata.labels['app']"),
        f("metadata.annotations['example.com/owner']"), f('metadata.labels'), f('spec.nodeName'), f('spec.serviceAccountName'),
        f('status.hostIP'), f('status.podIP'), f('status.podIPs'),
      ],
    };
    const env = asObject(await makeEnvironmentVariables(pod, c, options()));
    assert.deepEqual(env, {
      'metadata.name': 'web-1', 'metadata.namespace': 'shop', 'metadata.uid': 'u-123', "metadata.labels['app']": 'web',
      "metadata.annotations['example.com/owner']": 'ann', 'metadata.labels': 'app="web"\ntier="front"', 'spec.nodeName': 'node-a',
      'spec.serviceAccountName': 'builder', 'status.hostIP': '192.168.1.10', 'status.podIP': '10.42.0.7', 'status.podIPs': '10.42.0.7,fd00::7',
    });
  });

  test('resourceFieldRef rounds up by the divisor; no limit reads node allocatable', async () => {
    const r = (name: string, resource: string, divisor?: string) => ({ name, valueFrom: { resourceFieldRef: { resource, ...(divisor ? { divisor } : {}) } } });
    const c: V1Container = {
      name: 'app',
      resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      env: [r('CPU_REQ', 'requests.cpu'), r('CPU_REQ_M', 'requests.cpu', '1m'), r('CPU_LIM', 'limits.cpu'),
        r('MEM_LIM_MI', 'limits.memory', '1Mi'), r('MEM_REQ', 'requests.memory')],
    };
    const env = asObject(await makeEnvironmentVariables(pod, c, options()));
    assert.deepEqual(env, { CPU_REQ: '1', CPU_REQ_M: '250', CPU_LIM: '4', MEM_LIM_MI: '128', MEM_REQ: String(64 * 1024 * 1024) });
  });

  test('missing objects and keys fail with upstream texts unless optional', async () => {
    const run = (env: V1Container['env']) => makeEnvironmentVariables(pod, { name: 'app', env }, options());
    await assert.rejects(run([{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }]), { message: 'configmap "nope" not found' });
    await assert.rejects(run([{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }]), { message: 'secret "nope" not found' });
    await assert.rejects(run([{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } }]), { message: "couldn't find key k in ConfigMap shop/settings" });
    await assert.rejects(run([{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }]), { message: "couldn't find key k in Secret shop/creds" });
    await assert.rejects(run([{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.hostname' } } }]), { message: 'field label not supported: spec.hostname' });
    const env = asObject(await run([
      { name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
      { name: 'B', valueFrom: { secretKeyRef: { name: 'creds', key: 'k', optional: true } } },
      { name: 'C', valueFrom: { secretKeyRef: { name: 'creds', key: 'USER' } } },
    ]));
    assert.deepEqual(env, { C: 'admin' });
    await assert.rejects(makeEnvironmentVariables(pod, { name: 'app', envFrom: [{ secretRef: { name: 'gone' } }] }, options()), { message: 'secret "gone" not found' });
    assert.deepEqual(await makeEnvironmentVariables(pod, { name: 'app', envFrom: [{ secretRef: { name: 'gone', optional: true } }] }, options()), []);
  });
});

describe('command, args, subPathExpr and exec probe commands', () => {
  test('makeCommand expands from the final environment', () => {
    const env = [{ key: 'GREETING', value: 'hello' }, { key: 'WHO', value: 'world' }];
    assert.deepEqual(makeCommand({ name: 'c', command: ['sh', '-c'], args: ['echo $(GREETING) $(WHO) $$(WHO) $(NOPE)'] }, env), {
      command: ['sh', '-c'], args: ['echo hello world $(WHO) $(NOPE)'],
    });
  });

  test('subPathExpr needs every variable set', () => {
    const env = [{ key: 'POD_NAME', value: 'web-1' }, { key: 'EMPTY', value: '' }];
    assert.equal(expandSubPathExpr({ name: 'v', mountPath: '/x', subPathExpr: 'logs/$(POD_NAME)' }, env), 'logs/web-1');
    assert.throws(() => expandSubPathExpr({ name: 'v', mountPath: '/x', subPathExpr: '$(NOPE)/$(EMPTY)' }, env), { message: 'missing value for EMPTY, NOPE' });
  });

  test('exec probe commands see only literal env values', () => {
    const cmd = expandCommandOnlyStatic(['cat', '$(DIR)/$(FROM_REF)'], [{ name: 'DIR', value: '/tmp' }, { name: 'FROM_REF', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
    assert.deepEqual(cmd, ['cat', '/tmp/']);
  });
});

describe('service links', () => {
  const svc = (ns: string, name: string, clusterIP: string, ports: object[]): KObject => ({ metadata: { name, namespace: ns }, spec: { clusterIP, ports } });
  const services = [
    svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
    svc('shop', 'redis-primary', '10.96.3.4', [{ port: 6379 }, { name: 'metrics', port: 9121, protocol: 'TCP' }]),
    svc('shop', 'headless', 'None', [{ port: 80 }]),
    svc('other', 'elsewhere', '10.96.9.9', [{ port: 80 }]),
  ];

  test('the pod namespace and the kubernetes service; enableServiceLinks=false keeps only kubernetes', () => {
    assert.deepEqual(servicesForPod(services, 'shop', true).map((s) => s.metadata.name).sort(), ['kubernetes', 'redis-primary']);
    assert.deepEqual(servicesForPod(services, 'shop', false).map((s) => s.metadata.name), ['kubernetes']);
  });

  test('variables as upstream envvars.FromServices', () => {
    const env = asObject(serviceEnvironment(servicesForPod(services, 'shop', true)));
    assert.deepEqual(env, {
      KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443', KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443', KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443', KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
      REDIS_PRIMARY_SERVICE_HOST: '10.96.3.4', REDIS_PRIMARY_SERVICE_PORT: '6379', REDIS_PRIMARY_SERVICE_PORT_METRICS: '9121',
      REDIS_PRIMARY_PORT: 'tcp://10.96.3.4:6379', REDIS_PRIMARY_PORT_6379_TCP: 'tcp://10.96.3.4:6379', REDIS_PRIMARY_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_PRIMARY_PORT_6379_TCP_PORT: '6379', REDIS_PRIMARY_PORT_6379_TCP_ADDR: '10.96.3.4',
      REDIS_PRIMARY_PORT_9121_TCP: 'tcp://10.96.3.4:9121', REDIS_PRIMARY_PORT_9121_TCP_PROTO: 'tcp', REDIS_PRIMARY_PORT_9121_TCP_PORT: '9121',
      REDIS_PRIMARY_PORT_9121_TCP_ADDR: '10.96.3.4',
    });
  });
});
