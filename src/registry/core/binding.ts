// bindings: create-only; POSTing a Binding assigns a pod to a node (the same as pods/binding).
import type { FieldError } from '../../apimachinery/errors.ts';
import { invalid, required } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';

type Obj = Record<string, any>;

export const bindingResource = defineResource({
  apiVersion: 'v1', kind: 'Binding', namespaced: true,
  verbs: ['create'],
  strategy: {
    validate(b) {
      const target: Obj = (b.target as Obj) ?? {};
      const errs: FieldError[] = [];
      if (!target.name) errs.push(required('target.name'));
      if (target.kind && target.kind !== 'Node') errs.push(...invalid('target.kind', target.kind, ['must be empty or \'Node\'']));
      return errs;
    },
  },
});
