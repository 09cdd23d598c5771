// kube-apiserver's --token-auth-file: a CSV of token,user,uid[,"group1,group2"], read once at start.
import { readFile } from 'node:fs/promises';
import type { UserInfo } from './types.ts';

export type TokenTable = Map<string, UserInfo>;

/** Parses the token CSV as upstream's tokenfile.NewCSV does; `warn` hears about empty and duplicate tokens. */
export function parseTokenCSV(text: string, path: string, warn: (message: string) => void = () => {}): TokenTable {
  const tokens: TokenTable = new Map();
  let recordNum = 0;
  for (const record of parseCSV(text)) {
    if (record.length < 3) {
      throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    }
    recordNum++;
    const [token, name, uid, groups] = record as [string, string, string, string?];
    if (token === '') {
      warn(`empty token has been found in token file '${path}', record number '${recordNum}'`);
      continue;
    }
    if (tokens.has(token)) warn(`duplicate token has been found in token file '${path}', record number '${recordNum}'`);
    const user: UserInfo = { name, uid, groups: groups === undefined ? [] : groups.split(',').filter((g) => g !== '') };
    tokens.set(token, user);
  }
  return tokens;
}

export async function loadTokenFile(path: string, warn?: (message: string) => void): Promise<TokenTable> {
  return parseTokenCSV(await readFile(path, 'utf8'), path, warn);
}

/** RFC 4180 records as Go's encoding/csv reads them: quoted fields, "" escapes, blank lines skipped. */
export function parseCSV(text: string): string[][] {
  const records: string[][] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const startLine = line;
        i++;
        for (;;) {
          if (i >= text.length) throw new Error(`parse error on line ${startLine}: extraneous or missing " in quoted-field`);
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          throw new Error(`parse error on line ${line}: extraneous or missing " in quoted-field`);
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') throw new Error(`parse error on line ${line}: bare " in non-quoted-field`);
          field += text[i];
          i++;
        }
      }
      record.push(field);
      if (text[i] === ',') { i++; continue; }
      break;
    }
    records.push(record);
  }
  return records;
}
