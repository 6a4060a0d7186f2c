/**
 * Reading kubernetes-models' type declarations (.d.ts), shared by gen-k8s-fields.mjs and gen-schema-fast.mjs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** the .d.ts files under a package directory (not index.d.ts, _schemas or node_modules) */
export function walk(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === '_schemas' || e.name === 'node_modules') continue;
      walk(p, out);
    } else if (e.name.endsWith('.d.ts') && e.name !== 'index.d.ts') out.push(p);
  }
  return out;
}

/** the body of the first `export interface X ... {` block, bracket-aware */
export function interfaceBody(text) {
  const m = /export interface (\w+)[^{]*\{/.exec(text);
  if (!m) return undefined;
  let depth = 1;
  let i = m.index + m[0].length;
  const start = i;
  for (; i < text.length && depth > 0; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
  }
  return { name: m[1], body: text.slice(start, i - 1) };
}

/** the text without block comments */
export function stripComments(s) {
  return s.replace(/\/\*[\s\S]*?\*\//g, '');
}

/** top-level `"prop"?: Type;` members */
export function members(body) {
  const out = [];
  const s = stripComments(body);
  let i = 0;
  while (i < s.length) {
    const m = /"([^"]+)"\??:\s*/y;
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    m.lastIndex = i;
    const mm = m.exec(s);
    if (!mm) {
      // an index signature or something else: skip to the next top-level ';'
      const semi = findEnd(s, i);
      out.push({ name: null, type: s.slice(i, semi).trim() });
      i = semi + 1;
      continue;
    }
    const tStart = m.lastIndex;
    const end = findEnd(s, tStart);
    out.push({ name: mm[1], type: s.slice(tStart, end).trim() });
    i = end + 1;
  }
  return out;
}

/** the index of the `;` that ends the member starting at i (brackets balanced), or the text's end */
export function findEnd(s, i) {
  let depth = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '{' || c === '<' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === '>' || c === ')' || c === ']') depth--;
    else if (c === ';' && depth === 0) return i;
  }
  return s.length;
}
