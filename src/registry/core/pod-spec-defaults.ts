// SetDefaults_PodSpec, SetDefaults_Container, probes, volumes… of pkg/apis/core/v1/defaults.go: the
// fields every stored pod and pod template has, which kubectl -o yaml and controllers rely on.
// Pod-only defaults (priority, service account, tolerations) live in pod-defaults.ts.

type Obj = Record<string, any>;

/** imagePullPolicy: Always for ":latest" or an untagged image, IfNotPresent otherwise (digests too). */
export function defaultImagePullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const lastPart = image.slice(lastSlash + 1);
  const colon = lastPart.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastPart.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
}

function defaultHandler(h: unknown): void {
  if (!isObj(h)) return;
  if (isObj(h.httpGet)) {
    h.httpGet.path ??= '/';
    h.httpGet.scheme ??= 'HTTP';
  }
  if (isObj(h.grpc)) h.grpc.service ??= '';
}

function defaultEnv(env: unknown): void {
  if (!Array.isArray(env)) return;
  for (const e of env) {
    if (isObj(e) && isObj(e.valueFrom) && isObj(e.valueFrom.fieldRef)) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
}

export function defaultContainer(c: unknown): void {
  if (!isObj(c)) return;
  c.imagePullPolicy ??= defaultImagePullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p)) p.protocol ??= 'TCP';
  defaultEnv(c.env);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

const DEFAULT_MODE = 0o644; // 420, upstream's SecretVolumeSourceDefaultMode and friends

function defaultVolume(v: unknown): void {
  if (!isObj(v)) return;
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  if (isObj(v.secret)) v.secret.defaultMode ??= DEFAULT_MODE;
  if (isObj(v.configMap)) v.configMap.defaultMode ??= DEFAULT_MODE;
  if (isObj(v.downwardAPI)) {
    v.downwardAPI.defaultMode ??= DEFAULT_MODE;
    if (Array.isArray(v.downwardAPI.items)) {
      for (const it of v.downwardAPI.items) if (isObj(it) && isObj(it.fieldRef)) it.fieldRef.apiVersion ??= 'v1';
    }
  }
  if (isObj(v.projected)) {
    v.projected.defaultMode ??= DEFAULT_MODE;
    if (Array.isArray(v.projected.sources)) {
      for (const s of v.projected.sources) {
        if (isObj(s) && isObj(s.serviceAccountToken)) s.serviceAccountToken.expirationSeconds ??= 3600;
        if (isObj(s) && isObj(s.downwardAPI) && Array.isArray(s.downwardAPI.items)) {
          for (const it of s.downwardAPI.items) if (isObj(it) && isObj(it.fieldRef)) it.fieldRef.apiVersion ??= 'v1';
        }
      }
    }
  }
  if (isObj(v.hostPath)) v.hostPath.type ??= '';
  if (isObj(v.iscsi)) v.iscsi.iscsiInterface ??= 'default';
  if (isObj(v.rbd)) {
    v.rbd.pool ??= 'rbd';
    v.rbd.user ??= 'admin';
    v.rbd.keyring ??= '/etc/ceph/keyring';
  }
  if (isObj(v.azureDisk)) {
    v.azureDisk.cachingMode ??= 'ReadWrite';
    v.azureDisk.fsType ??= 'ext4';
    v.azureDisk.readOnly ??= false;
    v.azureDisk.kind ??= 'Shared';
  }
}

/** SetDefaults_PodSpec plus the nested container/volume defaults. Used for pods and pod templates. */
export function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  for (const list of [spec.initContainers, spec.containers, spec.ephemeralContainers]) {
    if (Array.isArray(list)) for (const c of list) defaultContainer(c);
  }
  if (Array.isArray(spec.volumes)) for (const v of spec.volumes) defaultVolume(v);
}

/** Pod-template defaults as done for workload templates (spec only; metadata is left alone). */
export function defaultPodTemplateSpec(template: unknown): void {
  if (!isObj(template)) return;
  defaultPodSpec(template.spec);
}
