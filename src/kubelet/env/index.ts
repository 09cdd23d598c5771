// The container environment the kubelet hands the runtime: env/envFrom resolution, $(VAR)
// expansion of env, command, args and subPathExpr, and service link variables.
export { makeEnvironmentVariables, makeCommand, expandCommandOnlyStatic, expandSubPathExpr, type EnvironmentOptions, type ConfigMapData, type SecretData } from './environment.ts';
export { serviceEnvironment, servicesForPod } from './service-env.ts';
export { expand, mappingFuncFor } from './expansion.ts';
export { extractFieldPathAsString, formatMap } from './field-path.ts';
export { containerResourceValue, withDefaultLimits, type NodeAllocatable } from './resource-field.ts';
