// The strategy of the autoscaling/v1 view. The generic store runs strategies on the served shape, but
// upstream defaults and validates HPAs in their internal (v2-like) form; so a v1 object is converted
// to v2, handled by the v2 strategy, and converted back in place.
import type { KObject } from '../../../apimachinery/types.ts';
import type { ResourceStrategy } from '../../types.ts';
import { statusReset } from '../common/status-reset.ts';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa-conversion.ts';
import { defaultHPA, validateHPA } from './hpa-strategy.ts';

function replaceContents(target: KObject, source: KObject): void {
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, source);
}

export const hpaV1Strategy: ResourceStrategy = {
  defaults(obj) {
    const v2 = hpaV1ToV2(obj);
    defaultHPA(v2);
    replaceContents(obj, hpaV2ToV1(v2));
  },
  // v1's currentReplicas and desiredReplicas have no omitempty.
  ...statusReset({ currentReplicas: 0, desiredReplicas: 0 }),
  validate: (obj) => validateHPA(hpaV1ToV2(obj)),
};
