// The kubelet reads ConfigMaps and Secrets through its object managers, whose NotFound errors name
// the resource in the singular ("configmap "x" not found"); FailedMount and
// CreateContainerConfigError messages carry these texts.
import { isNotFound } from '../../client/api-error.ts';

export const configMapNotFound = (name: string) => new Error(`configmap "${name}" not found`);
export const secretNotFound = (name: string) => new Error(`secret "${name}" not found`);

/** Runs a getter whose "not found" is either undefined or a NotFound API error; undefined then. */
export async function getOrUndefined<T>(get: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await get();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
