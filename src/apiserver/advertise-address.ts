// The address kube-apiserver advertises to the cluster (--advertise-address): the `kubernetes`
// Endpoints and EndpointSlice point at it. Unset, it is the bind address, unless that is unspecified
// or loopback, in which case the host's default interface is used (utilnet.ResolveBindAddress →
// ChooseHostInterface: the interface of a default route, else any up, non-loopback interface).
import { readFileSync } from 'node:fs';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** A global unicast IPv4 address: not unspecified, loopback, link-local, multicast or broadcast. */
export function isGlobalUnicastIPv4(ip: string): boolean {
  const o = ip.split('.').map(Number);
  if (o.length !== 4 || o.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return false;
  const [a = 0, b = 0] = o;
  if (a === 0 || a === 127 || a >= 224) return false;
  return !(a === 169 && b === 254);
}

/** Interfaces holding an IPv4 default route, from the kernel's routing table (Linux; none elsewhere). */
export function defaultRouteInterfaces(routeTable?: string): string[] {
  let text = routeTable;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/net/route', 'utf8');
    } catch {
      return [];
    }
  }
  const out: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (iface && destination === '00000000' && mask === '00000000' && !out.includes(iface)) out.push(iface);
  }
  return out;
}

function firstGlobalIPv4(infos: NetworkInterfaceInfo[] | undefined): string | undefined {
  return infos?.find((i) => i.family === 'IPv4' && !i.internal && isGlobalUnicastIPv4(i.address))?.address;
}

/** ChooseHostInterface (IPv4): a default route's interface first, then any other interface. */
export function chooseHostInterface(nics: Interfaces = networkInterfaces(), routeIfaces: string[] = defaultRouteInterfaces()): string | undefined {
  for (const name of routeIfaces) {
    const ip = firstGlobalIPv4(nics[name]);
    if (ip) return ip;
  }
  for (const name of Object.keys(nics).sort()) {
    const ip = firstGlobalIPv4(nics[name]);
    if (ip) return ip;
  }
  return undefined;
}

/** --advertise-address when given; else the bind address if it can be reached from elsewhere; else the host's. */
export function resolveAdvertiseAddress(explicit: string | undefined, bindAddress: string, choose: () => string | undefined = chooseHostInterface): string | undefined {
  if (explicit && explicit !== '0.0.0.0' && explicit !== '::') return explicit;
  const unspecifiedOrLoopback = bindAddress === '0.0.0.0' || bindAddress === '::' || bindAddress.startsWith('127.') || bindAddress === '::1';
  return unspecifiedOrLoopback ? choose() : bindAddress;
}
