// Node's fs errors read "ENOENT: no such file or directory, open '/p'"; Go's (which users of
// upstream see in events) read "open /p: no such file or directory". Volume messages use Go's shape.
const NODE_FS_ERROR = /^[A-Z]+: (.+), (\w+) '([^']*)'(?: -> '([^']*)')?$/;

export function goFsErrorMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const m = NODE_FS_ERROR.exec(msg);
  if (!m) return msg;
  const [, text, syscall, path, dest] = m;
  return dest ? `${syscall} ${path} ${dest}: ${text}` : `${syscall} ${path}: ${text}`;
}
