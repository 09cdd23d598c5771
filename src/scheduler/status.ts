// A plugin's verdict (framework.Status): Unschedulable may be fixed by preempting pods on the node;
// UnschedulableAndUnresolvable may not, so preemption skips such nodes.
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Skip';

export interface Status {
  code: Code;
  reasons: string[];
  /** The plugin that returned it. */
  plugin?: string;
}

export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });
export const errorStatus = (message: string): Status => ({ code: 'Error', reasons: [message] });

export function isSuccess(s: Status | undefined | null): boolean {
  return !s || s.code === 'Success' || s.code === 'Skip';
}

export function isRejected(s: Status | undefined | null): boolean {
  return !!s && (s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable');
}

export function statusMessage(s: Status | undefined): string {
  return s ? s.reasons.join(', ') : '';
}
