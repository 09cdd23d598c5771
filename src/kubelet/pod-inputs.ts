// What a pod's containers are made of besides its spec (the kubelet's runtime helper): the sandbox's
// DNS (with upstream's warnings as pod events), each container's environment (ConfigMaps, Secrets,
// service links, downward API values) and the image pull secrets — read through the API.
import type { V1Container } from '@kubernetes/client-node';
import type { KObject } from '../apimachinery/types.ts';
import { isNotFound } from '../client/api-error.ts';
import type { Lister } from '../client/cache/lister.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { GVR } from '../client/resources.ts';
import type { EventRecorder } from '../controllers/framework/events/event-recorder.ts';
import { DEFAULT_RESOLV_CONF, podDNSConfig, readHostDNSConfig } from './dns-config.ts';
import { makeEnvironmentVariables } from './env/environment.ts';
import { serviceEnvironment, servicesForPod } from './env/service-env.ts';
import { podRef } from './kubelet-events.ts';
import type { DNSConfig, KeyValue } from './runtime/runtime-service.ts';

type Obj = Record<string, any>;

export interface PodInputsOptions {
  client: KubeClient;
  recorder: EventRecorder;
  services: Lister;
  nodeIP: () => string;
  /** The node's allocatable cpu/memory/ephemeral-storage (resourceFieldRef without limits). */
  nodeAllocatable: () => Record<string, string>;
  clusterDNS: string[];
  clusterDomain: string;
  resolvConf?: string;
}

export class PodInputs {
  constructor(private readonly o: PodInputsOptions) {}

  async dnsFor(pod: Obj): Promise<DNSConfig> {
    const host = await readHostDNSConfig(this.o.resolvConf ?? DEFAULT_RESOLV_CONF);
    const { config, warnings } = podDNSConfig(pod, { host, clusterDNS: this.o.clusterDNS, clusterDomain: this.o.clusterDomain });
    for (const [reason, message] of warnings) this.o.recorder.event(podRef(pod), 'Warning', reason, message);
    return config;
  }

  envFor(pod: Obj, container: Obj, podIPs: string[]): Promise<KeyValue[]> {
    const services = servicesForPod(this.o.services.list(), pod.metadata.namespace, pod.spec?.enableServiceLinks !== false);
    const nodeIP = this.o.nodeIP();
    return makeEnvironmentVariables(pod as KObject, container as V1Container, {
      getConfigMap: (namespace, name) => this.o.client.resource(GVR.configmaps).namespace(namespace).get(name) as Promise<Obj>,
      getSecret: (namespace, name) => this.o.client.resource(GVR.secrets).namespace(namespace).get(name) as Promise<Obj>,
      serviceEnv: serviceEnvironment(services),
      nodeIP,
      hostIPs: [nodeIP],
      podIP: podIPs[0],
      podIPs,
      nodeAllocatable: this.o.nodeAllocatable(),
      recordEvent: (type, reason, message) => this.o.recorder.event(podRef(pod), type, reason, message),
    });
  }

  /** The pod's imagePullSecrets that exist; missing ones are reported as upstream does. */
  async pullSecretsFor(pod: Obj): Promise<Obj[]> {
    const refs: Obj[] = Array.isArray(pod.spec?.imagePullSecrets) ? pod.spec.imagePullSecrets : [];
    const out: Obj[] = [];
    const missing: string[] = [];
    for (const ref of refs) {
      if (!ref?.name) continue;
      try {
        out.push(await this.o.client.resource(GVR.secrets).namespace(pod.metadata.namespace).get(ref.name));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        missing.push(`"${ref.name}"`);
      }
    }
    if (missing.length > 0) {
      this.o.recorder.event(podRef(pod), 'Warning', 'FailedToRetrieveImagePullSecret',
        `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`);
    }
    return out;
  }
}
