#!/usr/bin/env node
/**
 * Regenerates src/data/k8s-fields.json: for every Kubernetes OpenAPI type
 * that kubernetes-models ships, the names of its properties and the type each
 * property refers to, plus the apiVersion/kind → schema name table.
 *
 * Why: the Kubernetes OpenAPI schemas do not set additionalProperties: false,
 * so kubernetes-models' precompiled validators accept unknown fields
 * (`timeoutSecond:`) silently. The set of known properties per type is read
 * here from kubernetes-models' .d.ts interfaces (generated from the same
 * OpenAPI definitions as the validators), so it always matches the installed
 * validators. Run after upgrading kubernetes-models:
 *
 *   node scripts/gen-k8s-fields.mjs
 *
 * Output format (compact, deterministic):
 *   { source, kinds: { "<apiVersion>/<kind>": "<SchemaName>" },
 *     types: { "<SchemaName>": { "<prop>": "" | "T" | "[]T" | "{}T", ... } } }
 * where "" is a leaf (scalar, or a type with no checkable properties), "T" an
 * object of schema T, "[]T" a list of T, "{}T" a map of T.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(path.join(root, 'package.json'));
const pkgs = ['kubernetes-models', '@kubernetes-models/apimachinery'];

function walk(dir, out) {
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
function interfaceBody(text) {
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

function stripComments(s) {
  return s.replace(/\/\*[\s\S]*?\*\//g, '');
}

/** top-level `"prop"?: Type;` members */
function members(body) {
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

function findEnd(s, i) {
  let depth = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '{' || c === '<' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === '>' || c === ')' || c === ']') depth--;
    else if (c === ';' && depth === 0) return i;
  }
  return s.length;
}

function refOf(type, self) {
  const t = type.replace(/\s+/g, ' ').trim().replace(new RegExp(`\\bI${self.iface}\\b`, 'g'), `I${self.schema}`);
  let m = /^I(IoK8s\w+)$/.exec(t);
  if (m) return m[1];
  m = /^Array<I(IoK8s\w+)>$/.exec(t);
  if (m) return '[]' + m[1];
  m = /^\{ \[key: string\]: I(IoK8s\w+);? \}$/.exec(t);
  if (m) return '{}' + m[1];
  return '';
}

const types = {};
const kinds = {};
const aliases = {}; // schema name → interface name seen in its own file
for (const pkg of pkgs) {
  const dir = path.dirname(require.resolve(`${pkg}/package.json`));
  for (const file of walk(dir, []).sort()) {
    const text = stripComments(fs.readFileSync(file, 'utf8'));
    const exp = /export \{ I(\w+) as I(IoK8s\w+)/.exec(text);
    if (!exp) continue;
    const schema = exp[2];
    const iface = interfaceBody(text);
    if (!iface) continue;
    const ms = members(iface.body);
    if (ms.some((m) => m.name === null)) {
      types[schema] = null; // open type (index signature): do not check its fields
      continue;
    }
    const props = {};
    let apiVersion;
    let kind;
    for (const m of ms) {
      props[m.name] = refOf(m.type, { iface: iface.name.replace(/^I/, ''), schema });
      const lit = /^"([^"]*)"$/.exec(m.type);
      if (m.name === 'apiVersion' && lit) apiVersion = lit[1];
      if (m.name === 'kind' && lit) kind = lit[1];
    }
    if (types[schema] && JSON.stringify(types[schema]) !== JSON.stringify(props)) throw new Error(`conflicting definitions of ${schema}`);
    types[schema] = props;
    if (apiVersion && kind && !kind.endsWith('List')) kinds[`${apiVersion}/${kind}`] = schema;
    aliases[schema] = iface.name;
  }
}
// open types (index signatures, or no declared properties: RawExtension, JSON,
// JSONSchemaPropsOrArray) are not checked; references to them and to types
// without an interface (Quantity, IntOrString, Time) are leaves
for (const [k, v] of Object.entries(types)) if (!v || Object.keys(v).length === 0) delete types[k];
for (const props of Object.values(types)) {
  if (!props) continue;
  for (const [k, v] of Object.entries(props)) {
    const name = v.replace(/^\[\]|^\{\}/, '');
    if (name && !types[name]) props[k] = '';
  }
}
const sortObj = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
const version = (p) => JSON.parse(fs.readFileSync(require.resolve(`${p}/package.json`), 'utf8')).version;
const out = {
  source: `generated by scripts/gen-k8s-fields.mjs from kubernetes-models@${version('kubernetes-models')} and @kubernetes-models/apimachinery@${version('@kubernetes-models/apimachinery')} type declarations; do not edit`,
  kinds: sortObj(kinds),
  types: sortObj(Object.fromEntries(Object.entries(types).map(([k, v]) => [k, sortObj(v)]))),
};
const target = path.join(root, 'src/data/k8s-fields.json');
fs.writeFileSync(target, JSON.stringify(out) + '\n');
console.log(`${target}: ${Object.keys(out.kinds).length} kinds, ${Object.keys(out.types).length} types`);
