// probe.ResolveContainerPort: a probe or hook port is a number or the name of a container port,
// with upstream's errors (the strconv text users see when a named port does not exist).
import type { V1Container } from '@kubernetes/client-node';

export function resolveContainerPort(port: number | string | undefined, container: V1Container): number {
  let n: number;
  if (typeof port === 'number') n = port;
  else if (typeof port === 'string') {
    const named = container.ports?.find((p) => p.name === port);
    if (named) n = named.containerPort;
    else if (/^[+-]?\d+$/.test(port)) n = Number(port);
    else throw new Error(`strconv.Atoi: parsing "${port}": invalid syntax`);
  } else throw new Error(`intOrString had no kind: ${String(port)}`);
  if (n > 0 && n < 65536) return n;
  throw new Error(`invalid port number: ${n}`);
}
