#!/usr/bin/env node
/**
 * Regenerates src/data/k8s-fast.json, the table of the schema fast path
 * (src/schema/fast.ts): for every type of src/data/k8s-fields.json, its
 * required properties and, per property, what values the precompiled
 * validator of kubernetes-models accepts there, as a small descriptor
 * (written in a compact numeric encoding, see `encode` at the end):
 *
 *   ["r", typeIndex, nullOk, lenient?] an object of that type (recursed into); lenient: an inline type
 *                                     (see `inline` below), where unknown fields pass
 *   ["a", itemDescriptor, nullOk]     a list (empty lists pass)
 *   ["m", itemDescriptor, nullOk]     a map (string keys, every value checked)
 *   ["s", flags, numberKind, stringKind, enum?]   a scalar
 *   0                                 unknown: any value here sends the object to ajv
 *
 * flags: 1 null passes, 2 booleans pass. numberKind: 0 none, 1 int32,
 * 2 any integer (int64), 3 any finite number. stringKind: 0 none, 1 any,
 * 2 one of `enum`, 3 base64 (format byte), 4 a quantity (format quantity).
 *
 * Nothing is guessed from names: the structure comes from the type
 * declarations (the same source as k8s-fields.json), and every descriptor is
 * found and then checked by running the property's value classes through the
 * type's own validator (with all errors on, so one probe shows everything).
 * What the descriptors cannot state exactly (date-time strings, open types,
 * an error at the object itself other than a missing required property,
 * nested lists of lists) is 0, "unknown", so the fast path runs ajv there;
 * the table may send too much to ajv, never too little. The keywords the
 * validators use are checked against the ones this reasoning covers (type,
 * enum, format, required, and oneOf only inside IntOrString and Quantity),
 * and generation fails when a new one appears.
 *
 *   node scripts/gen-schema-fast.mjs           # write the table
 *   node scripts/gen-schema-fast.mjs --check   # exit 1 when the table is stale
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { interfaceBody, members, stripComments, walk } from './lib/dts.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(path.join(root, 'package.json'));
const pkgs = ['kubernetes-models', '@kubernetes-models/apimachinery'];
const fieldsData = JSON.parse(fs.readFileSync(path.join(root, 'src/data/k8s-fields.json'), 'utf8'));
const types = fieldsData.types;

// ---- the validators' keywords ----------------------------------------------------------------------------
const KNOWN_KEYWORDS = new Set(['type', 'enum', 'format', 'required', 'oneOf']);
const KNOWN_FORMATS = new Set(['int32', 'int64', 'double', 'byte', 'quantity', 'date-time']);
const ONE_OF_ALLOWED = new Set(['IoK8sApimachineryPkgUtilIntstrIntOrString', 'IoK8sApimachineryPkgApiResourceQuantity']);
const pkgDirs = pkgs.map((p) => path.dirname(require.resolve(`${p}/package.json`)));
for (const dir of pkgDirs) {
  const sdir = path.join(dir, '_schemas');
  for (const f of fs.readdirSync(sdir).sort()) {
    if (!f.endsWith('.js')) continue;
    const text = fs.readFileSync(path.join(sdir, f), 'utf8');
    for (const m of text.matchAll(/keyword:"([a-zA-Z]+)"/g)) {
      if (!KNOWN_KEYWORDS.has(m[1])) throw new Error(`${f}: keyword ${m[1]} is not covered by the fast table's reasoning`);
      if (m[1] === 'oneOf' && !ONE_OF_ALLOWED.has(f.replace(/\.js$/, ''))) throw new Error(`${f}: oneOf outside IntOrString/Quantity`);
    }
    for (const m of text.matchAll(/formats\.([\w]+)|formats\["([\w-]+)"\]/g)) {
      const name = m[1] ?? m[2];
      if (!KNOWN_FORMATS.has(name)) throw new Error(`${f}: format ${name} is not covered by the fast table's reasoning`);
    }
  }
}

// ---- type declarations: member types and aliases (as scripts/gen-k8s-fields.mjs reads them) -------------
/** property → declared type (whitespace collapsed) of an interface body */
function memberTypes(body) {
  return new Map(members(body).flatMap((m) => (m.name === null ? [] : [[m.name, m.type.replace(/\s+/g, ' ')]])));
}
/** schema name → (property → declared type), and exported alias name → aliased type */
const declared = new Map();
const aliases = new Map();
for (const dir of pkgDirs) {
  for (const file of walk(dir, []).sort()) {
    const text = stripComments(fs.readFileSync(file, 'utf8'));
    const exp = /export \{ I(\w+) as I(IoK8s\w+)/.exec(text);
    if (!exp) continue;
    const alias = new RegExp(`export declare type I${exp[1]} = ([^;]+);`).exec(text);
    if (alias) aliases.set(`I${exp[2]}`, alias[1].replace(/\s+/g, ' ').trim());
    const iface = interfaceBody(text);
    if (!iface) continue;
    const ms = memberTypes(iface.body);
    const self = new RegExp(`\\b${iface.name}\\b`, 'g');
    for (const [k, v] of ms) ms.set(k, v.replace(self, `I${exp[2]}`));
    declared.set(exp[2], ms);
  }
}

// ---- validators and probes ---------------------------------------------------------------------------------
function validatorOf(schema) {
  const dir = schema.startsWith('IoK8sApimachinery') ? pkgDirs[1] : pkgDirs[0];
  try {
    return require(path.join(dir, '_schemas', `${schema}.js`)).validate;
  } catch {
    return undefined;
  }
}

/** errors of `validate({[prop]: value})` that concern the property; `bad` when the object itself has others */
function prober(validate, prop) {
  const at = `/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return (value) => {
    const obj = { [prop]: value };
    if (validate(obj)) return [];
    const mine = [];
    for (const e of validate.errors) {
      if (e.instancePath === at || e.instancePath.startsWith(`${at}/`)) mine.push(e);
      else if (!(e.instancePath === '' && e.keyword === 'required')) mine.push({ keyword: 'object-level', instancePath: e.instancePath });
    }
    return mine;
  };
}

const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);
const STRINGS_ANY = ['', 'a', 'abc def!', '0', '1', 'TCP', 'SGVsbG8=', '2024-01-01T00:00:00Z', '1Gi', 'true', '\n', 'é'];

/** a scalar's descriptor, from its probes */
function scalar(errorsOf, decl) {
  const ok = (v) => errorsOf(v).length === 0;
  let flags = 0;
  if (ok(null)) flags |= 1;
  if (ok(true) && ok(false)) flags |= 2;
  let num = 0;
  const ints32 = [0, 1, -1, 80, INT32_MAX, INT32_MIN];
  const ints = [...ints32, INT32_MAX + 1, INT32_MIN - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e300, -1e300];
  const fracs = [1.5, -0.25, 1e-300, Number.MIN_VALUE];
  if (ints.every(ok) && fracs.every(ok)) num = 3;
  else if (ints.every(ok)) num = 2;
  else if (ints32.every(ok) && !ok(INT32_MAX + 1) && !ok(INT32_MIN - 1)) {
    // only the int32 format bounds the integers: the rejections just outside are format errors
    const outside = [...errorsOf(INT32_MAX + 1), ...errorsOf(INT32_MIN - 1)];
    if (outside.every((e) => e.keyword === 'format' && e.params?.format === 'int32') || isIntOrString(decl)) num = 1;
  }
  let str = 0;
  let enumValues;
  if (STRINGS_ANY.every(ok)) str = 1;
  else {
    const errs = errorsOf('abc def! \u0000');
    const literal = literals(decl);
    if (errs.length > 0 && errs.every((e) => e.keyword === 'enum') && literal) {
      const allowed = errs[0].params.allowedValues;
      if (Array.isArray(allowed) && allowed.every((x) => typeof x === 'string') && allowed.every(ok)) {
        str = 2;
        enumValues = [...allowed].sort();
      }
    } else if (
      errs.length > 0 &&
      errs.every((e) => e.keyword === 'format' && e.params.format === 'byte') &&
      ['', 'SGVsbG8=', 'QUJD'].every(ok) &&
      !ok('a')
    )
      str = 3;
    else if (
      errs.some((e) => e.keyword === 'format' && e.params?.format === 'quantity') &&
      ['1', '100m', '1Gi', '1.5', '+1e3', '.5', '5.'].every(ok) &&
      !ok('a') &&
      !ok('1 Gi')
    )
      str = 4;
  }
  if (flags === 0 && num === 0 && str === 0) return 0;
  return enumValues ? ['s', flags, num, str, enumValues] : ['s', flags, num, str];
}
function isIntOrString(decl) {
  return decl === 'IIoK8sApimachineryPkgUtilIntstrIntOrString';
}
function literals(decl) {
  const t = aliases.get(decl) ?? decl;
  return /^"[^"]*"( \| "[^"]*")*$/.test(t) ? t : undefined;
}

const SCALAR_DECL = /^(string|number|boolean|"[^"]*")( \| (string|number|boolean|"[^"]*"))*$/;
const typeIndex = new Map(
  Object.keys(types)
    .sort()
    .map((t, i) => [t, i]),
);

/**
 * Object types declared inline (StatefulSetSpec.volumeClaimTemplates: a PersistentVolumeClaim whose apiVersion
 * and kind are optional), appended to the table after the named types. k8s-fields.json does not descend into
 * them, so the unknown-field check does not either: they are "lenient" (the 4th element of their reference),
 * unknown fields pass in them and below them, as they do in ajv.
 */
const inline = [];

/** a declared type's descriptor; `errorsOf` runs a value at its place, `here` is that place's instance path */
function describe(decl, errorsOf, depth, here) {
  const ok = (v) => errorsOf(v).length === 0;
  const resolved = aliases.get(decl) ?? decl;
  let m = /^Array<(.+)>$/.exec(resolved);
  if (m) {
    if (depth > 0 || !ok([])) return 0;
    const item = describe(m[1], (v) => errorsOf([v]), depth + 1, `${here}/0`);
    return item === 0 ? 0 : ['a', item, ok(null) ? 1 : 0];
  }
  m = /^\{ \[key: string\]: (.+?);? \}$/.exec(resolved);
  if (m) {
    if (depth > 0 || !ok({})) return 0;
    const item = describe(m[1], (v) => errorsOf({ k: v }), depth + 1, `${here}/k`);
    // a map's values are checked by additionalProperties alone: any key behaves the same
    if (item === 0) return 0;
    return ['m', item, ok(null) ? 1 : 0];
  }
  m = /^I(IoK8s\w+)$/.exec(decl);
  if (m && typeIndex.has(m[1])) return ['r', typeIndex.get(m[1]), ok(null) ? 1 : 0];
  if (/^\{ "/.test(resolved) && resolved.endsWith('}')) {
    if (depth > 1) return 0;
    const ms = memberTypes(resolved.slice(1, -1));
    // the object alone: only its own required properties may be missing
    const required = [];
    for (const e of errorsOf({})) {
      if (e.instancePath === here && e.keyword === 'required') required.push(e.params.missingProperty);
      else return 0;
    }
    if (['x', 1, true, []].some(ok)) return 0;
    const props = {};
    for (const [name, type] of [...ms].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const at = `${here}/${name}`;
      const sub = (v) => errorsOf({ [name]: v }).filter((e) => !(e.instancePath === here && e.keyword === 'required'));
      let d = describe(type, sub, depth + 1, at);
      if (d !== 0 && !samples(d).every((x) => sub(x).length === 0)) d = 0;
      props[name] = d;
    }
    inline.push([required.sort(), props]);
    return ['r', typeIndex.size + inline.length - 1, ok(null) ? 1 : 0, 1];
  }
  if (SCALAR_DECL.test(resolved) || isIntOrString(decl)) return scalar(errorsOf, decl);
  return 0;
}

// ---- soundness self-check: every value a descriptor passes, the validator passes --------------------------
function samples(d) {
  if (d === 0) return [];
  const out = [];
  if (d[0] === 's') {
    const [, flags, num, str, en] = d;
    if (flags & 1) out.push(null);
    if (flags & 2) out.push(true, false);
    if (num >= 1) out.push(0, 1, -1, INT32_MAX, INT32_MIN);
    if (num >= 2) out.push(INT32_MAX + 1, INT32_MIN - 1, Number.MAX_SAFE_INTEGER, 1e300, -1e300);
    if (num >= 3) out.push(1.5, -0.001, 5e-324);
    if (str === 1) out.push(...STRINGS_ANY, 'x'.repeat(300));
    if (str === 2) out.push(...en);
    if (str === 3) out.push('', 'SGVsbG8=', 'QUJD', 'QQ==');
    if (str === 4) out.push('1', '100m', '1Gi', '2.5', '+1e3', '-1', '.5', '5.', '1E3', '10Ki', '1da');
    return out;
  }
  if (d[2] === 1) out.push(null);
  if (d[0] === 'a') {
    out.push([]);
    for (const s of samples(d[1])) out.push([s], [s, s]);
  } else if (d[0] === 'm') {
    out.push({});
    for (const s of samples(d[1])) out.push({ k: s }, { 'a.b/c': s, z: s });
  }
  return out;
}

const table = {};
let unknownProps = 0;
let props = 0;
for (const [schema] of [...typeIndex].sort((a, b) => a[1] - b[1])) {
  const validate = validatorOf(schema);
  const decl = declared.get(schema);
  if (!validate || !decl) {
    table[schema] = 0;
    continue;
  }
  // the object alone: required properties, and nothing else may be wrong with it
  validate({});
  const required = [];
  let opaque = false;
  for (const e of validate.errors ?? []) {
    if (e.instancePath === '' && e.keyword === 'required') required.push(e.params.missingProperty);
    else opaque = true;
  }
  for (const bad of [null, [], 'x', 1, true]) if (validate(bad)) opaque = true;
  if (opaque) {
    table[schema] = 0;
    continue;
  }
  const entry = {};
  for (const prop of Object.keys(types[schema]).sort()) {
    props++;
    const ref = types[schema][prop];
    const errorsOf = prober(validate, prop);
    const ok = (v) => errorsOf(v).length === 0;
    let d = 0;
    const rejectsScalars = () => ['x', 1, true].every((v) => !ok(v));
    if (ref.startsWith('[]')) {
      if (rejectsScalars() && ok([]) && !ok(['x'])) d = ['a', ['r', typeIndex.get(ref.slice(2)), ok([null]) ? 1 : 0], ok(null) ? 1 : 0];
    } else if (ref.startsWith('{}')) {
      if (rejectsScalars() && ok({}) && !ok({ k: 'x' }))
        d = ['m', ['r', typeIndex.get(ref.slice(2)), ok({ k: null }) ? 1 : 0], ok(null) ? 1 : 0];
    } else if (ref) {
      if (rejectsScalars() && !ok([])) d = ['r', typeIndex.get(ref), ok(null) ? 1 : 0];
    } else if (decl.has(prop)) {
      d = describe(decl.get(prop), errorsOf, 0, `/${prop}`);
    }
    if (d !== 0) {
      for (const s of samples(d)) {
        if (!ok(s)) {
          d = 0;
          break;
        }
      }
    }
    if (d === 0) unknownProps++;
    entry[prop] = d;
  }
  table[schema] = [required.sort(), entry];
}

const version = (p) => JSON.parse(fs.readFileSync(require.resolve(`${p}/package.json`), 'utf8')).version;
// the compact encoding src/schema/fast.ts reads: descriptors deduplicated into one flat list of numbers, four
// per descriptor (kind: 0 unknown, 1 object, 2 list, 3 map, 4 scalar; flags: 1 null passes, 2 booleans pass;
// then for an object its type and 1 when lenient, for a list or map its item's descriptor, for a scalar the
// number kind and the string kind plus 8 × the enum's index), enums listed once
const flat = [];
const enums = [];
const descIds = new Map();
const enumIds = new Map();
function encode(d) {
  const key = JSON.stringify(d);
  if (descIds.has(key)) return descIds.get(key);
  let row;
  if (d === 0) row = [0, 0, 0, 0];
  else if (d[0] === 'r') row = [1, d[2], d[1], d[3] ? 1 : 0];
  else if (d[0] === 'a' || d[0] === 'm') row = [d[0] === 'a' ? 2 : 3, d[2], encode(d[1]), 0];
  else {
    let b = d[3];
    if (b === 2) {
      const ek = JSON.stringify(d[4]);
      if (!enumIds.has(ek)) {
        enumIds.set(ek, enums.length);
        enums.push(d[4]);
      }
      b |= enumIds.get(ek) << 3;
    }
    row = [4, d[1], d[2], b];
  }
  const id = flat.length / 4;
  flat.push(...row);
  descIds.set(key, id);
  return id;
}
const encodeType = (e) => (e === 0 ? 0 : [e[0], Object.fromEntries(Object.entries(e[1]).map(([k, d]) => [k, encode(d)]))]);
const out = {
  source: `generated by scripts/gen-schema-fast.mjs from kubernetes-models@${version('kubernetes-models')} and @kubernetes-models/apimachinery@${version('@kubernetes-models/apimachinery')} (validators and type declarations) and src/data/k8s-fields.json; do not edit`,
  types: [...typeIndex.keys()],
  /** per type (the named ones, then the inline ones): 0 (not checked here) or [required, { property: descriptor }] */
  table: [...[...typeIndex.keys()].map((t) => table[t]), ...inline].map(encodeType),
  desc: flat,
  enums,
};
const text = `${JSON.stringify(out)}\n`;
const target = path.join(root, 'src/data/k8s-fast.json');
if (process.argv.includes('--check')) {
  const now = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (now !== text) {
    console.error(`${target} is stale: run node scripts/gen-schema-fast.mjs`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  fs.writeFileSync(target, text);
  console.log(`${target}: ${typeIndex.size} types, ${props} properties, ${unknownProps} unknown (sent to ajv)`);
}
