// A container's environment as the kubelet builds it (upstream makeEnvironmentVariables): envFrom
// first (prefixed keys; invalid names skipped with an event), then env in order — literal values
// with $(VAR) expansion over what is defined so far and the service variables, or valueFrom
// (fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef; optional ones skipped when missing) —
// and last the service variables not already defined.
import type { V1Container, V1VolumeMount } from '@kubernetes/client-node';
import type { KObject } from '../../apimachinery/types.ts';
import type { KeyValue } from '../runtime/runtime-service.ts';
import { expand, mappingFuncFor } from './expansion.ts';
import { podFieldSelectorRuntimeValue, type PodRuntimeFields } from './field-path.ts';
import { configMapNotFound, getOrUndefined, secretNotFound } from './object-errors.ts';
import { containerResourceValue, type NodeAllocatable } from './resource-field.ts';

export interface ConfigMapData { data?: Record<string, string>; binaryData?: Record<string, string> }
/** Secret data values are base64, as the API serves them. */
export interface SecretData { data?: Record<string, string> }

export interface EnvironmentOptions extends PodRuntimeFields {
  /** undefined (or a NotFound API error) when the ConfigMap does not exist. */
  getConfigMap(namespace: string, name: string): Promise<ConfigMapData | undefined>;
  getSecret(namespace: string, name: string): Promise<SecretData | undefined>;
  /** serviceEnvironment(servicesForPod(…)); the kubelet computes it from its service lister. */
  serviceEnv?: KeyValue[];
  /** The node's primary IP (status.hostIP) when hostIPs is not given. */
  nodeIP?: string;
  nodeAllocatable?: NodeAllocatable;
  /** Warning events about the pod (InvalidEnvironmentVariableNames). */
  recordEvent?(type: 'Normal' | 'Warning', reason: string, message: string): void;
}

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export async function makeEnvironmentVariables(pod: KObject, container: V1Container, opts: EnvironmentOptions): Promise<KeyValue[]> {
  const ns = pod.metadata.namespace ?? '';
  const serviceEnv = new Map((opts.serviceEnv ?? []).map((e) => [e.key, e.value]));
  const configMaps = new Map<string, ConfigMapData | undefined>();
  const secrets = new Map<string, SecretData | undefined>();
  const configMap = async (name: string) => {
    if (!configMaps.has(name)) configMaps.set(name, await getOrUndefined(() => opts.getConfigMap(ns, name)));
    return configMaps.get(name);
  };
  const secret = async (name: string) => {
    if (!secrets.has(name)) secrets.set(name, await getOrUndefined(() => opts.getSecret(ns, name)));
    return secrets.get(name);
  };
  const tmpEnv = new Map<string, string>();

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let entries: [string, string][];
    let source: string;
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? '';
      const cm = await configMap(name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw configMapNotFound(name);
      }
      entries = Object.entries(cm.data ?? {});
      source = `configMap ${ns}/${name}`;
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? '';
      const s = await secret(name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw secretNotFound(name);
      }
      entries = Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]);
      source = `secret ${ns}/${name}`;
    } else continue;
    const invalid: string[] = [];
    for (const [k, v] of entries) {
      const key = prefix + k;
      if (!ENV_VAR_NAME.test(key)) { invalid.push(key); continue; }
      tmpEnv.set(key, v);
    }
    if (invalid.length) {
      opts.recordEvent?.('Warning', 'InvalidEnvironmentVariableNames',
        `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${source} were skipped since they are considered invalid environment variable names.`);
    }
  }

  const mapping = mappingFuncFor(tmpEnv, serviceEnv);
  const runtime: PodRuntimeFields = {
    podIP: opts.podIP, podIPs: opts.podIPs, hostIPs: opts.hostIPs?.length ? opts.hostIPs : opts.nodeIP ? [opts.nodeIP] : [],
  };
  for (const env of container.env ?? []) {
    let value = env.value ?? '';
    if (value !== '') {
      value = expand(value, mapping);
    } else if (env.valueFrom) {
      const from = env.valueFrom;
      if (from.fieldRef) {
        value = podFieldSelectorRuntimeValue(from.fieldRef, pod, runtime);
      } else if (from.resourceFieldRef) {
        value = containerResourceValue(from.resourceFieldRef, pod, container, opts.nodeAllocatable);
      } else if (from.configMapKeyRef) {
        const { name = '', key, optional } = from.configMapKeyRef;
        const cm = await configMap(name);
        if (!cm) {
          if (optional) continue;
          throw configMapNotFound(name);
        }
        const v = cm.data?.[key];
        if (v === undefined) {
          if (optional) continue;
          throw new Error(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
        }
        value = v;
      } else if (from.secretKeyRef) {
        const { name = '', key, optional } = from.secretKeyRef;
        const s = await secret(name);
        if (!s) {
          if (optional) continue;
          throw secretNotFound(name);
        }
        const v = s.data?.[key];
        if (v === undefined) {
          if (optional) continue;
          throw new Error(`couldn't find key ${key} in Secret ${ns}/${name}`);
        }
        value = Buffer.from(v, 'base64').toString('utf8');
      }
    }
    tmpEnv.set(env.name, value);
  }

  const result: KeyValue[] = [...tmpEnv].map(([key, value]) => ({ key, value }));
  for (const [key, value] of serviceEnv) if (!tmpEnv.has(key)) result.push({ key, value });
  return result;
}

function envMap(env: readonly KeyValue[]): Map<string, string> {
  return new Map(env.map((e) => [e.key, e.value]));
}

/** ExpandContainerCommandAndArgs: $(VAR) in command and args from the container's final environment. */
export function makeCommand(container: V1Container, env: readonly KeyValue[]): { command: string[]; args: string[] } {
  const mapping = mappingFuncFor(envMap(env));
  return {
    command: (container.command ?? []).map((c) => expand(c, mapping)),
    args: (container.args ?? []).map((a) => expand(a, mapping)),
  };
}

/** ExpandContainerCommandOnlyStatic: exec probe commands see only the literal env values. */
export function expandCommandOnlyStatic(command: readonly string[], containerEnv: V1Container['env']): string[] {
  const mapping = mappingFuncFor(new Map((containerEnv ?? []).map((e) => [e.name, e.value ?? ''])));
  return command.map((c) => expand(c, mapping));
}

/** ExpandContainerVolumeMounts: a subPathExpr, failing when a variable is missing or empty. */
export function expandSubPathExpr(mount: V1VolumeMount, env: readonly KeyValue[]): string {
  const vars = envMap(env);
  const missing = new Set<string>();
  const expanded = expand(mount.subPathExpr ?? '', (name) => {
    const v = vars.get(name);
    if (!v) missing.add(name);
    return v ?? '';
  });
  if (missing.size) throw new Error(`missing value for ${[...missing].sort().join(', ')}`);
  return expanded;
}
