// The root CA certificate publisher (upstream pkg/controller/certificates/rootcacertpublisher): every
// namespace has a "kube-root-ca.crt" ConfigMap whose ca.crt is the cluster CA (the one the
// controller manager trusts the API server with); deleted or edited, it is put back.
import type { KObject } from '../../apimachinery/types.ts';
import { isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import { objectOf } from '../../client/cache/keys.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { isNamespaceTerminating } from '../serviceaccount/serviceaccounts-controller.ts';

export const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. '
  + 'No other usage is guaranteed across distributions of Kubernetes clusters.';

function sameData(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b).length && ka.every((k) => a![k] === b[k]);
}

export const rootCACertPublisher: ControllerDescriptor = {
  name: 'root-ca-certificate-publisher-controller',
  start(ctx): RunningController {
    const ca = ctx.client.config.ca;
    if (!ca) throw new Error('no cluster CA in the client configuration to publish');
    const rootCA = Buffer.isBuffer(ca) ? ca.toString('utf8') : ca;
    const namespaces = ctx.informers.forResource(GVR.namespaces);
    const configMaps = ctx.informers.forResource(GVR.configmaps);
    const cmLister = configMaps.lister();
    const controller = new Controller({
      name: 'root_ca_cert_publisher', workers: 1, caches: [namespaces, configMaps], clock: ctx.clock, log: ctx.log,
      async reconcile(ns) {
        const configmaps = ctx.client.resource(GVR.configmaps).namespace(ns);
        const data = { 'ca.crt': rootCA };
        const cm = cmLister.namespace(ns).get(ROOT_CA_CONFIG_MAP);
        if (!cm) {
          try {
            await configmaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIG_MAP, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data });
          } catch (err) {
            // Namespace gone or terminating: nothing to publish into.
            if (isNotFound(err) || isNamespaceTerminating(err) || isAlreadyExists(err)) return;
            throw err;
          }
          return;
        }
        if (sameData(cm.data as Record<string, string> | undefined, data) && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return;
        const copy = structuredClone(cm) as KObject;
        copy.data = data;
        copy.metadata.annotations = { ...copy.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION };
        await configmaps.update(copy);
      },
    });
    namespaces.addEventHandler({ onAdd: (ns) => controller.enqueue(ns.metadata.name!), onUpdate: (_o, ns) => controller.enqueue(ns.metadata.name!) });
    const onConfigMap = (obj: KObject) => { if (obj.metadata.name === ROOT_CA_CONFIG_MAP) controller.enqueue(obj.metadata.namespace!); };
    configMaps.addEventHandler({
      onUpdate: (_o, cm) => onConfigMap(cm),
      onDelete: (obj) => onConfigMap(objectOf(obj as KObject)),
    });
    void controller.run();
    return controller;
  },
};
