// ValidatePodSpec / ValidatePodTemplateSpec of pkg/apis/core/validation, with upstream's field paths
// and messages (kubectl prints them verbatim in "… is invalid: …").
import type { FieldError } from '../../apimachinery/errors.ts';
import {
  duplicate, forbidden, invalid, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, nonNegative,
  notSupported, required, validateAnnotations, validateLabels,
} from '../../apimachinery/validation.ts';
import { parseQuantity, quantityProblem } from './quantity.ts';

type Obj = Record<string, any>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

export const PORT_RANGE_MSG = 'must be between 1 and 65535, inclusive';

/** IsValidPortNum. */
export function isValidPortNum(p: unknown): boolean {
  return typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535;
}

/** IsValidPortName (IANA_SVC_NAME). */
export function isValidPortName(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.length > 0 && !/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ENV_VAR_NAME_MSG = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

function validateDefaultMode(mode: unknown, field: string): FieldError[] {
  if (mode === undefined || mode === null) return [];
  if (typeof mode !== 'number' || mode < 0 || mode > 0o777) {
    return [{ type: 'FieldValueInvalid', field, badValue: mode, detail: 'must be a number between 0 and 0777 (octal), both inclusive' }];
  }
  return [];
}

function validateKeyToPaths(items: unknown, field: string): FieldError[] {
  if (!Array.isArray(items)) return [];
  const errs: FieldError[] = [];
  items.forEach((it: Obj, i) => {
    const p = `${field}[${i}]`;
    if (!nonEmpty(it?.key)) errs.push(required(`${p}.key`));
    if (!nonEmpty(it?.path)) errs.push(required(`${p}.path`));
    else errs.push(...validateLocalNonReservedPath(it.path, `${p}.path`));
    errs.push(...validateDefaultMode(it?.mode, `${p}.mode`));
  });
  return errs;
}

function validateLocalNonReservedPath(path: string, field: string): FieldError[] {
  if (path.startsWith('/')) return [{ type: 'FieldValueInvalid', field, badValue: path, detail: 'must be a relative path' }];
  if (path.split('/').includes('..')) return [{ type: 'FieldValueInvalid', field, badValue: path, detail: "must not contain '..'" }];
  if (path.startsWith('..')) return [{ type: 'FieldValueInvalid', field, badValue: path, detail: "must not start with '..'" }];
  return [];
}

function validateVolumeSource(v: Obj, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const present = VOLUME_SOURCES.filter((k) => v[k] !== undefined && v[k] !== null);
  if (present.length === 0) errs.push(required(field, 'must specify a volume type'));
  for (const k of present.slice(1)) errs.push(forbidden(`${field}.${k}`, 'may not specify more than 1 volume type'));
  if (isObj(v.hostPath) && !nonEmpty(v.hostPath.path)) errs.push(required(`${field}.hostPath.path`));
  if (isObj(v.secret)) {
    errs.push(...validateDefaultMode(v.secret.defaultMode, `${field}.secret.defaultMode`));
    errs.push(...validateKeyToPaths(v.secret.items, `${field}.secret.items`));
  }
  if (isObj(v.configMap)) {
    errs.push(...validateDefaultMode(v.configMap.defaultMode, `${field}.configMap.defaultMode`));
    errs.push(...validateKeyToPaths(v.configMap.items, `${field}.configMap.items`));
  }
  if (isObj(v.persistentVolumeClaim) && !nonEmpty(v.persistentVolumeClaim.claimName)) {
    errs.push(required(`${field}.persistentVolumeClaim.claimName`));
  }
  if (isObj(v.nfs)) {
    if (!nonEmpty(v.nfs.server)) errs.push(required(`${field}.nfs.server`));
    if (!nonEmpty(v.nfs.path)) errs.push(required(`${field}.nfs.path`));
  }
  if (isObj(v.emptyDir) && v.emptyDir.medium !== undefined && !['', 'Memory', 'HugePages'].includes(v.emptyDir.medium)
    && !String(v.emptyDir.medium).startsWith('HugePages-')) {
    errs.push(notSupported(`${field}.emptyDir.medium`, v.emptyDir.medium, ['', 'Memory', 'HugePages']));
  }
  return errs;
}

/** Runs check on each object of a list with its path field[i]; anything else is left to the schema checks. */
function eachItem(list: unknown, field: string, check: (item: Obj, path: string, errs: FieldError[]) => void): FieldError[] {
  const errs: FieldError[] = [];
  if (Array.isArray(list)) list.forEach((item, i) => { if (isObj(item)) check(item, `${field}[${i}]`, errs); });
  return errs;
}

/** A name within a list (volumes, containers, ports): its format problems, then whether it repeats. Records it in names. */
function validateUniqueName(name: string, names: Set<string>, field: string, problems: string[]): FieldError[] {
  const errs = invalid(field, name, problems);
  if (names.has(name)) errs.push(duplicate(field, name));
  names.add(name);
  return errs;
}

/** ValidateVolumes: returns errors and the set of volume names for volumeMount checks. */
export function validateVolumes(volumes: unknown, field: string): { errs: FieldError[]; names: Set<string> } {
  const names = new Set<string>();
  const errs = eachItem(volumes, field, (v, p, errs) => {
    if (!nonEmpty(v.name)) errs.push(required(`${p}.name`));
    else errs.push(...validateUniqueName(v.name, names, `${p}.name`, isDNS1123Label(v.name)));
    errs.push(...validateVolumeSource(v, p));
  });
  return { errs, names };
}

function validatePorts(ports: unknown, field: string): FieldError[] {
  const names = new Set<string>();
  return eachItem(ports, field, (port, p, errs) => {
    if (nonEmpty(port.name)) errs.push(...validateUniqueName(port.name, names, `${p}.name`, isValidPortName(port.name)));
    if (port.containerPort === undefined || port.containerPort === 0) errs.push(required(`${p}.containerPort`));
    else if (!isValidPortNum(port.containerPort)) errs.push(...invalid(`${p}.containerPort`, port.containerPort, [PORT_RANGE_MSG]));
    if (port.hostPort !== undefined && port.hostPort !== 0 && !isValidPortNum(port.hostPort)) {
      errs.push(...invalid(`${p}.hostPort`, port.hostPort, [PORT_RANGE_MSG]));
    }
    if (!nonEmpty(port.protocol)) errs.push(required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
  });
}

function validateEnv(env: unknown, field: string): FieldError[] {
  return eachItem(env, field, (e, p, errs) => {
    if (!nonEmpty(e.name)) errs.push(required(`${p}.name`));
    else if (!ENV_VAR_NAME.test(e.name)) errs.push(...invalid(`${p}.name`, e.name, [ENV_VAR_NAME_MSG]));
    if (isObj(e.valueFrom)) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((k) => e.valueFrom[k] !== undefined);
      if (nonEmpty(e.value)) {
        errs.push({ type: 'FieldValueInvalid', field: `${p}.valueFrom`, badValue: '', detail: 'may not be specified when `value` is not empty' });
      }
      if (sources.length === 0) errs.push({ type: 'FieldValueInvalid', field: `${p}.valueFrom`, badValue: '', detail: 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`' });
      else if (sources.length > 1) errs.push({ type: 'FieldValueInvalid', field: `${p}.valueFrom`, badValue: '', detail: 'may not have more than one field specified at a time' });
      if (isObj(e.valueFrom.fieldRef) && !nonEmpty(e.valueFrom.fieldRef.fieldPath)) errs.push(required(`${p}.valueFrom.fieldRef.fieldPath`));
      for (const k of ['configMapKeyRef', 'secretKeyRef']) {
        if (isObj(e.valueFrom[k]) && !nonEmpty(e.valueFrom[k].key)) errs.push(required(`${p}.valueFrom.${k}.key`));
      }
    }
  });
}

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, field: string): FieldError[] {
  const paths = new Set<string>();
  return eachItem(mounts, field, (m, p, errs) => {
    if (!nonEmpty(m.name)) errs.push(required(`${p}.name`));
    else if (!volumes.has(m.name)) errs.push({ type: 'FieldValueNotFound', field: `${p}.name`, badValue: m.name });
    if (!nonEmpty(m.mountPath)) errs.push(required(`${p}.mountPath`));
    else {
      if (paths.has(m.mountPath)) errs.push(...invalid(`${p}.mountPath`, m.mountPath, ['must be unique']));
      paths.add(m.mountPath);
    }
    if (nonEmpty(m.subPath)) errs.push(...validateLocalNonReservedPath(m.subPath, `${p}.subPath`));
  });
}

function validateHandler(h: unknown, field: string): FieldError[] {
  if (!isObj(h)) return [];
  const kinds = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'].filter((k) => h[k] !== undefined && h[k] !== null);
  const errs: FieldError[] = [];
  if (kinds.length === 0) errs.push(required(field, 'must specify a handler type'));
  for (const k of kinds.slice(1)) errs.push(forbidden(`${field}.${k}`, 'may not specify more than 1 handler type'));
  if (isObj(h.httpGet)) errs.push(...validatePortOrName(h.httpGet.port, `${field}.httpGet.port`));
  if (isObj(h.tcpSocket)) errs.push(...validatePortOrName(h.tcpSocket.port, `${field}.tcpSocket.port`));
  if (isObj(h.exec) && (!Array.isArray(h.exec.command) || h.exec.command.length === 0)) errs.push(required(`${field}.exec.command`));
  return errs;
}

function validatePortOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port) ? [] : invalid(field, port, [PORT_RANGE_MSG]);
  if (typeof port === 'string' && port.length > 0) return invalid(field, port, isValidPortName(port));
  return [required(field)];
}

function validateProbe(probe: unknown, field: string, liveness: boolean): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, field);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonNegative(probe[k], `${field}.${k}`));
  }
  if (liveness && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errs.push(...invalid(`${field}.successThreshold`, probe.successThreshold, ['must be 1']));
  }
  return errs;
}

const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage']);

function validateResources(res: unknown, field: string): FieldError[] {
  if (!isObj(res)) return [];
  const errs: FieldError[] = [];
  for (const kind of ['limits', 'requests'] as const) {
    if (!isObj(res[kind])) continue;
    for (const [name, q] of Object.entries(res[kind])) {
      const p = `${field}.${kind}[${name}]`;
      if (!STANDARD_RESOURCES.has(name) && !name.includes('/') && !name.startsWith('hugepages-')) {
        errs.push(...invalid(p, name, ['must be a standard resource type or fully qualified']));
      }
      const v = parseQuantity(q);
      if (v === undefined) errs.push(...invalid(p, q, [quantityProblem(q)]));
      else if (v < 0) errs.push(...invalid(p, q, ['must be greater than or equal to 0']));
    }
  }
  if (isObj(res.limits) && isObj(res.requests)) {
    for (const [name, q] of Object.entries(res.requests)) {
      const lim = res.limits[name];
      if (lim === undefined) continue;
      const r = parseQuantity(q);
      const l = parseQuantity(lim);
      if (r !== undefined && l !== undefined && r > l) {
        errs.push(...invalid(`${field}.requests[${name}]`, String(q), [`must be less than or equal to ${name} limit of ${lim}`]));
      }
    }
  }
  return errs;
}

type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

function validateContainers(list: unknown, kind: ContainerKind, volumes: Set<string>, names: Set<string>, field: string): FieldError[] {
  return eachItem(list, field, (c, p, errs) => {
    if (!nonEmpty(c.name)) errs.push(required(`${p}.name`));
    else errs.push(...validateUniqueName(c.name, names, `${p}.name`, isDNS1123Label(c.name)));
    if (!nonEmpty(c.image)) {
      if (kind !== 'ephemeralContainers' || c.image === undefined) errs.push(required(`${p}.image`));
    } else if (c.image.trim() !== c.image) {
      errs.push(...invalid(`${p}.image`, c.image, ['must not have leading or trailing whitespace']));
    }
    if (c.imagePullPolicy === undefined || c.imagePullPolicy === '') errs.push(required(`${p}.imagePullPolicy`));
    else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
    if (c.terminationMessagePolicy !== undefined && !TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
      errs.push(notSupported(`${p}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
    }
    if (kind === 'ephemeralContainers') {
      if (c.ports !== undefined) errs.push(forbidden(`${p}.ports`, 'cannot be set for an Ephemeral Container'));
      for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle']) {
        if (c[k] !== undefined) errs.push(forbidden(`${p}.${k}`, 'cannot be set for an Ephemeral Container'));
      }
    } else {
      errs.push(...validatePorts(c.ports, `${p}.ports`));
    }
    errs.push(...validateEnv(c.env, `${p}.env`));
    errs.push(...validateVolumeMounts(c.volumeMounts, volumes, `${p}.volumeMounts`));
    errs.push(...validateResources(c.resources, `${p}.resources`));
    if (kind === 'containers') {
      errs.push(...validateProbe(c.livenessProbe, `${p}.livenessProbe`, true));
      errs.push(...validateProbe(c.readinessProbe, `${p}.readinessProbe`, false));
      errs.push(...validateProbe(c.startupProbe, `${p}.startupProbe`, true));
      if (c.restartPolicy !== undefined) errs.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
    }
    if (kind === 'initContainers') {
      if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
        errs.push(notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
      }
      if (c.restartPolicy !== 'Always') {
        for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle']) {
          if (c[k] !== undefined) errs.push(forbidden(`${p}.${k}`, 'may not be set for init containers without restartPolicy=Always'));
        }
      }
    }
    if (isObj(c.lifecycle)) {
      if (c.lifecycle.postStart !== undefined) errs.push(...validateHandler(c.lifecycle.postStart, `${p}.lifecycle.postStart`));
      if (c.lifecycle.preStop !== undefined) errs.push(...validateHandler(c.lifecycle.preStop, `${p}.lifecycle.preStop`));
    }
  });
}

export function validateTolerations(tolerations: unknown, field: string): FieldError[] {
  return eachItem(tolerations, field, (t, p, errs) => {
    if (nonEmpty(t.key)) errs.push(...invalid(`${p}.key`, t.key, isQualifiedName(t.key)));
    if (!nonEmpty(t.key) && t.operator !== 'Exists') {
      errs.push(...invalid(`${p}.operator`, t.operator ?? '', ['operator must be Exists when `key` is empty, which means "match all values and all keys"']));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(...invalid(`${p}.effect`, t.effect ?? '', ["effect must be 'NoExecute' when `tolerationSeconds` is set"]));
    }
    if (t.operator !== undefined && t.operator !== '' && !TOLERATION_OPERATORS.includes(t.operator)) {
      errs.push(notSupported(`${p}.operator`, t.operator, TOLERATION_OPERATORS));
    }
    if (t.operator === 'Exists' && nonEmpty(t.value)) {
      errs.push(...invalid(`${p}.operator`, t.value, ['value must be empty when `operator` is \'Exists\'']));
    }
    if (t.effect !== undefined && t.effect !== '' && !TAINT_EFFECTS.includes(t.effect)) {
      errs.push(notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
    }
  });
}

export interface PodSpecValidationOptions {
  /** Pod templates of workloads: ephemeral containers are not allowed. */
  template?: boolean;
}

/** ValidatePodSpec. */
export function validatePodSpec(spec: unknown, field: string, opts: PodSpecValidationOptions = {}): FieldError[] {
  if (!isObj(spec)) return [required(field)];
  const errs: FieldError[] = [];
  const { errs: volErrs, names: volumes } = validateVolumes(spec.volumes, `${field}.volumes`);
  errs.push(...volErrs);
  const containerNames = new Set<string>();
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) errs.push(required(`${field}.containers`));
  errs.push(...validateContainers(spec.containers, 'containers', volumes, containerNames, `${field}.containers`));
  errs.push(...validateContainers(spec.initContainers, 'initContainers', volumes, containerNames, `${field}.initContainers`));
  if (opts.template && spec.ephemeralContainers !== undefined) {
    errs.push(forbidden(`${field}.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  } else {
    errs.push(...validateContainers(spec.ephemeralContainers, 'ephemeralContainers', volumes, containerNames, `${field}.ephemeralContainers`));
  }
  if (!nonEmpty(spec.restartPolicy)) errs.push(required(`${field}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(spec.restartPolicy)) errs.push(notSupported(`${field}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  if (!nonEmpty(spec.dnsPolicy)) errs.push(required(`${field}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(notSupported(`${field}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  else if (spec.dnsPolicy === 'None' && !isObj(spec.dnsConfig)) {
    errs.push(required(`${field}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  errs.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  if (nonEmpty(spec.serviceAccountName)) {
    errs.push(...invalid(`${field}.serviceAccountName`, spec.serviceAccountName, isDNS1123Subdomain(spec.serviceAccountName)));
  }
  if (nonEmpty(spec.nodeName)) errs.push(...invalid(`${field}.nodeName`, spec.nodeName, isDNS1123Subdomain(spec.nodeName)));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = spec.activeDeadlineSeconds;
    if (typeof v !== 'number' || v < 1 || v > 2147483647) {
      errs.push(...invalid(`${field}.activeDeadlineSeconds`, v, ['must be between 1 and 2147483647, inclusive']));
    }
  }
  if (nonEmpty(spec.hostname)) errs.push(...invalid(`${field}.hostname`, spec.hostname, isDNS1123Label(spec.hostname)));
  if (nonEmpty(spec.subdomain)) errs.push(...invalid(`${field}.subdomain`, spec.subdomain, isDNS1123Label(spec.subdomain)));
  errs.push(...validateTolerations(spec.tolerations, `${field}.tolerations`));
  if (nonEmpty(spec.priorityClassName)) {
    errs.push(...invalid(`${field}.priorityClassName`, spec.priorityClassName, isDNS1123Subdomain(spec.priorityClassName)));
  }
  return errs;
}

/**
 * ValidatePodTemplateSpec: labels/annotations of the template metadata and its spec. `fieldPath`
 * is the template's path, e.g. "spec.template".
 */
export function validatePodTemplateSpec(template: unknown, fieldPath: string): FieldError[] {
  if (!isObj(template)) return [required(fieldPath)];
  const errs: FieldError[] = [];
  const meta = isObj(template.metadata) ? template.metadata : {};
  errs.push(...validateLabels(meta.labels, `${fieldPath}.metadata.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${fieldPath}.metadata.annotations`));
  errs.push(...validatePodSpec(template.spec, `${fieldPath}.spec`, { template: true }));
  return errs;
}
