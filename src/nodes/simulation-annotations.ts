// The names a user puts on objects to steer the simulated nodes, in the spirit of kwok's stages:
// a label marks a Node as simulated (any Node created with it is adopted at run time), annotations
// on pods pick how their containers behave, one on a Node stops its heartbeat.

/** Label on a Node: a simulated kubelet owns it (`kubectl apply` a Node with it to add a node). */
export const SIMULATED_NODE_LABEL = 'k8ts.io/simulated';
export const SIMULATED_NODE_SELECTOR = `${SIMULATED_NODE_LABEL}=true`;

/** Node annotation: "stopped" pauses the node's Lease renewals, status posts and pod syncs. */
export const HEARTBEAT_ANNOTATION = 'k8ts.io/simulate-heartbeat';

/** Pod annotation: containers exit with this code (after simulate-run-seconds). */
export const EXIT_CODE_ANNOTATION = 'k8ts.io/simulate-exit-code';
/** Pod annotation: how long containers run before exiting with simulate-exit-code (default 0). */
export const RUN_SECONDS_ANNOTATION = 'k8ts.io/simulate-run-seconds';
/** Pod annotation: "true" keeps containers running but never ready. */
export const NEVER_READY_ANNOTATION = 'k8ts.io/simulate-never-ready';

export function heartbeatStopped(node: { metadata: { annotations?: Record<string, string> } }): boolean {
  return node.metadata.annotations?.[HEARTBEAT_ANNOTATION] === 'stopped';
}
