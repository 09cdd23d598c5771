// A resource is declared as data: its apiVersion and kind and what is particular to it. The names
// upstream derives from the kind are derived here too, so no declaration repeats them: the singular
// (the lowercase kind), the plural that names the REST resource (gengo's namer rules) and the
// @kubernetes/client-node model ("V1" + kind).
import type { ResourceDefinition } from './types.ts';

export type ResourceDeclaration = Omit<ResourceDefinition, 'group' | 'version' | 'resource' | 'singularName'> & {
  /** "apps/v1", or "v1" for the core group. */
  apiVersion: string;
  /** Only where the plural is irregular (Endpoints). */
  resource?: string;
};

/** The lowercase plural of a kind: -es after s, x, z, ch and sh; -ies after a consonant and y; else -s. */
export function pluralOf(kind: string): string {
  const singular = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(singular)) return `${singular}es`;
  if (/[^aeiou]y$/.test(singular)) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

/** The client-node model name of a kind: V1Pod, V2HorizontalPodAutoscaler, V1beta1CSIStorageCapacity. */
export function openapiModelOf(version: string, kind: string): string {
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

export function defineResource({ apiVersion, resource, openapiModel, ...rest }: ResourceDeclaration): ResourceDefinition {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return {
    group,
    version,
    resource: resource ?? pluralOf(rest.kind),
    singularName: rest.kind.toLowerCase(),
    openapiModel: openapiModel ?? openapiModelOf(version, rest.kind),
    ...rest,
  };
}
