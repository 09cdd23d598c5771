// What the kubelet core hands its HTTPS server: the pods it runs (with the status it reports), the
// runtime, and the stats summary. Everything else (which container, which sandbox) is looked up here
// from the runtime's labels, as upstream's server asks the kubelet's runtime cache.
import type { KObject } from '../../apimachinery/types.ts';
import type { RuntimeService } from '../runtime/runtime-service.ts';
import type { Summary } from '../stats/summary-types.ts';

export interface KubeletServerHandlers {
  /** The pods bound to this node that the kubelet knows, with the status it last computed. */
  pods(): KObject[];
  runtime: RuntimeService;
  /** /stats/summary. */
  summary(): Promise<Summary>;
}
