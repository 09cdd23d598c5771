// Boolean query parameters as upstream decodes them (runtime.Convert_Slice_string_To_bool): absent is
// unset, "0" and any case of "false" are false, anything else — "true", "True", "1", even "" — is true.
// Clients differ: client-go sends "true", the Python client sends "True".

/** undefined when the parameter is absent; express gives a string, or an array when repeated. */
export function queryBool(value: unknown): boolean | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return undefined;
  return !(first === '0' || first.toLowerCase() === 'false');
}
