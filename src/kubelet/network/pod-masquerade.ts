// Traffic from pods to anything outside the pod network leaves with the node's address: one nat rule
// for the node's pod CIDR (flannel's approach) instead of the bridge plugin's chain per pod.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Adds the rule when missing; returns a line for the log, or undefined when nothing changed. */
export async function ensurePodMasquerade(podCIDR: string): Promise<string | undefined> {
  const iptables = podCIDR.includes(':') ? 'ip6tables' : 'iptables';
  const rule = ['-t', 'nat', 'POSTROUTING', '-s', podCIDR, '!', '-d', podCIDR, '-m', 'comment', '--comment', 'k8ts pod network', '-j', 'MASQUERADE'];
  const spec = (op: string) => [rule[0]!, rule[1]!, op, ...rule.slice(2)];
  try {
    await run(iptables, ['-w', ...spec('-C')]);
    return undefined;
  } catch {
    // not there yet
  }
  try {
    await run(iptables, ['-w', ...spec('-A')]);
    return `added ${iptables} masquerade for pod traffic from ${podCIDR} leaving the pod network`;
  } catch (err) {
    return `cannot add the ${iptables} masquerade rule for ${podCIDR} (pods cannot reach beyond the node): ${(err as Error).message.split('\n')[0]}`;
  }
}
