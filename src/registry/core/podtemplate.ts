// podtemplates: stored pod templates. Upstream pkg/registry/core/podtemplate.
import type { ResourceDefinition } from '../types.ts';
import { defaultPodSpec } from './pod-spec-defaults.ts';
import { validatePodTemplateSpec } from './pod-spec-validation.ts';
import { column, formatLabels, layoutContainerCells, nameColumn } from './table-helpers.ts';

type Obj = Record<string, any>;

export const podTemplateResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  resource: 'podtemplates',
  singularName: 'podtemplate',
  namespaced: true,
  strategy: {
    defaults(pt) { defaultPodSpec((pt.template as Obj)?.spec); },
    validate: (pt) => validatePodTemplateSpec(pt.template, 'template'),
    allowCreateOnUpdate: false,
  },
  table: {
    columns: [
      nameColumn(),
      column('Containers', 'Names of each container in the template.'),
      column('Images', 'Images referenced by each container in the template.'),
      column('Pod Labels', 'The labels for the pod template.'),
    ],
    cells(pt) {
      const template: Obj = (pt.template as Obj) ?? {};
      const [names, images] = layoutContainerCells(template.spec?.containers);
      return [pt.metadata.name, names, images, formatLabels(template.metadata?.labels)];
    },
  },
  openapiModel: 'V1PodTemplate',
};
