// The service account controller (upstream pkg/controller/serviceaccount/serviceaccounts_controller.go):
// every active namespace has a "default" ServiceAccount; one that is deleted is created again.
import { StatusError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import { objectOf } from '../../client/cache/keys.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';

/** The ServiceAccounts every namespace gets (upstream DefaultServiceAccountsControllerOptions). */
export const MANAGED_SERVICE_ACCOUNTS = ['default'];

/** A create refused because the namespace is going away: not worth retrying. */
export function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof StatusError && !!err.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating');
}

export const serviceAccountsController: ControllerDescriptor = {
  name: 'serviceaccount-controller',
  start(ctx): RunningController {
    const namespaces = ctx.informers.forResource(GVR.namespaces);
    const serviceAccounts = ctx.informers.forResource(GVR.serviceaccounts);
    const nsLister = namespaces.lister();
    const saLister = serviceAccounts.lister();
    const controller = new Controller({
      name: 'serviceaccount', workers: 1, caches: [namespaces, serviceAccounts], clock: ctx.clock, log: ctx.log,
      async reconcile(name) {
        const ns = nsLister.get(name);
        // Nothing is created in a namespace that is not Active (being deleted).
        if (!ns || (ns.status as { phase?: string } | undefined)?.phase !== 'Active') return;
        for (const sa of MANAGED_SERVICE_ACCOUNTS) {
          if (saLister.namespace(name).get(sa)) continue;
          try {
            await ctx.client.resource(GVR.serviceaccounts).namespace(name).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa } });
          } catch (err) {
            if (isAlreadyExists(err) || isNotFound(err) || isNamespaceTerminating(err)) continue;
            throw err;
          }
        }
      },
    });
    namespaces.addEventHandler({ onAdd: (ns) => controller.enqueue(ns.metadata.name!), onUpdate: (_o, ns) => controller.enqueue(ns.metadata.name!) });
    serviceAccounts.addEventHandler({
      onDelete: (obj) => {
        const sa = objectOf(obj as KObject);
        if (MANAGED_SERVICE_ACCOUNTS.includes(sa.metadata.name!)) controller.enqueue(sa.metadata.namespace!);
      },
    });
    void controller.run();
    return controller;
  },
};
