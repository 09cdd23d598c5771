// Container lifecycle hooks (postStart, preStop).
export { runHandler, formatPod, type HandlerContext } from './handler-runner.ts';
