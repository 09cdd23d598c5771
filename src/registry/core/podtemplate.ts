// podtemplates: stored pod templates. Upstream pkg/registry/core/podtemplate.
import { defineResource } from '../define-resource.ts';
import { defaultPodSpec } from './pod-spec-defaults.ts';
import { validatePodTemplateSpec } from './pod-spec-validation.ts';
import { column, containersColumn, formatLabels, imagesColumn, layoutContainerCells, nameColumn } from '../groups/common/printers.ts';

type Obj = Record<string, any>;

export const podTemplateResource = defineResource({
  apiVersion: 'v1', kind: 'PodTemplate', namespaced: true,
  strategy: {
    defaults(pt) { defaultPodSpec((pt.template as Obj)?.spec); },
    validate: (pt) => validatePodTemplateSpec(pt.template, 'template'),
    allowCreateOnUpdate: false,
  },
  // printPodTemplate: no Age column, and the containers are not wide-only here.
  table: {
    columns: [
      nameColumn,
      { ...containersColumn, priority: 0 },
      { ...imagesColumn, priority: 0 },
      column('Pod Labels', 'string', 'The labels for the pod template.'),
    ],
    cells(pt) {
      const template: Obj = (pt.template as Obj) ?? {};
      const [names, images] = layoutContainerCells(template.spec?.containers);
      return [pt.metadata.name, names, images, formatLabels(template.metadata?.labels)];
    },
  },
});
