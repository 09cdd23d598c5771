// The HPA status helpers of horizontal.go: setCondition (a new condition is appended; the
// transition time moves only when the status flips) and the semantic comparison that skips a
// status write when nothing changed.

type Obj = Record<string, any>;

interface Condition { type: string; status: 'True' | 'False'; lastTransitionTime?: string; reason: string; message: string }

export function setCondition(status: Obj, type: string, value: 'True' | 'False', reason: string, message: string, now: string): void {
  const conditions: Condition[] = status.conditions ??= [];
  const existing = conditions.find((c) => c.type === type);
  if (!existing) {
    conditions.push({ type, status: value, lastTransitionTime: now, reason, message });
    return;
  }
  if (existing.status !== value) existing.lastTransitionTime = now;
  Object.assign(existing, { status: value, reason, message });
}

/** Key order aside (the server's and ours differ), are both statuses the same? */
export function statusEqual(a: unknown, b: unknown): boolean {
  return canonical(a ?? {}) === canonical(b ?? {});
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Obj;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
