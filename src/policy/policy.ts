/**
 * Declarative policies: YAML files, validated against
 * schemas/policy.schema.json, each turned into a rule of the RuleRegistry so
 * that severities, suppressions, `rules`, `explain` and SARIF treat it like a
 * built-in rule. The condition is a JSON Schema evaluated with ajv at the
 * target (the object, its pod spec, or each container); a failure is
 * reported at the failing field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { ConfigError } from '../config/config.js';
import { AJV_OPTIONS, precompiled } from '../config/precompiled.js';
import { createRule, type AnyRule } from '../engine/rule.js';
import { locate, parseText } from '../parse/parse.js';
import { toDotted, type Path, type PathSeg } from '../parse/source.js';
import { describeValue, pointerToPath, valueAt, type SchemaError } from '../schema/errors.js';
import { PACKAGE_ROOT } from '../util/layout.js';
import { matches, policyMeta, targets, type PolicyDoc } from './match.js';

export { matches, targets, type PolicyDoc, type Target } from './match.js';

type Validate = ((d: unknown) => boolean) & { errors?: SchemaError[] | null };

let docValidator: Validate | undefined;
let conditionAjv: import('ajv').default | undefined;

function schemaFile(): string {
  return path.join(PACKAGE_ROOT, 'schemas', 'policy.schema.json');
}

function ajvClass(): typeof import('ajv').default {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('ajv').default as typeof import('ajv').default;
}

/** The policy documents' validator: generated at build time with these options (../config/precompiled.ts), else compiled here. */
function documentValidator(): Validate {
  if (!docValidator) {
    const schema = JSON.parse(fs.readFileSync(schemaFile(), 'utf8')) as object;
    docValidator = precompiled<SchemaError>('policy', schema) ?? (new (ajvClass())({ ...AJV_OPTIONS.policy }).compile(schema) as Validate);
  }
  return docValidator;
}

/** The ajv instance that compiles conditions (CEL policies need none). */
function conditions(): import('ajv').default {
  // strict about the condition's keywords and formats, so a typo (`requried`) is an error, not a silent pass
  conditionAjv ??= new (ajvClass())({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false,
  });
  return conditionAjv;
}

const GLOB_CHARS = /[*?[\]{}!]/;

/** Policy files from `policies:` entries (files, directories, globs), relative to the config's directory, sorted. */
export function expandPolicyPaths(entries: string[], baseDir: string, what = 'policies'): string[] {
  const out = new Set<string>();
  for (const e of entries) {
    const abs = path.resolve(baseDir, e);
    if (!GLOB_CHARS.test(e)) {
      if (!fs.existsSync(abs)) throw new ConfigError(`${what}: no such file or directory: ${e}`);
      if (fs.statSync(abs).isDirectory()) for (const f of walk(abs)) out.add(f);
      else out.add(abs);
      continue;
    }
    // a glob: walk from its static prefix
    const segs = e.split('/');
    const i = segs.findIndex((s) => GLOB_CHARS.test(s));
    const root = path.resolve(baseDir, segs.slice(0, i).join('/') || '.');
    const pattern = path.resolve(baseDir, e).split(path.sep).join('/');
    if (fs.existsSync(root))
      for (const f of walk(root, true)) if (minimatch(f.split(path.sep).join('/'), pattern, { dot: false })) out.add(f);
  }
  return [...out].sort();
}

function walk(dir: string, all = false): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, all));
    else if (all || /\.(ya?ml|json)$/i.test(e.name)) out.push(p);
  }
  return out;
}

/** Reads, validates and compiles the policies of a file; throws ConfigError with file:line:column. */
export function loadPolicyFile(file: string, configDir: string, display = file): AnyRule[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read policy file ${display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const parsed = parseText(text, { json: file.endsWith('.json') });
  const pos = (offset: number) => parsed.source.position(offset);
  if (parsed.errors.length) {
    throw new ConfigError(
      `invalid policy file ${display}`,
      parsed.errors.map((e) => {
        const p = pos(e.start);
        return `${display}:${p.line}:${p.column}: ${e.message.split('\n')[0]}`;
      }),
    );
  }
  const validate = documentValidator();
  const rules: AnyRule[] = [];
  for (const d of parsed.documents) {
    if (d.empty || !d.ok) continue;
    const at = (p: PathSeg[]): string => {
      const loc = locate(parsed.spans, d.value, d.node, p);
      const q = pos(loc.span.ks >= 0 ? loc.span.ks : loc.span.vs);
      return `${display}:${q.line}:${q.column}`;
    };
    for (const dup of d.duplicateKeys ?? []) {
      const q = pos(dup.span.ks);
      throw new ConfigError(`invalid policy file ${display}`, [`${display}:${q.line}:${q.column}: duplicate key "${dup.key}"`]);
    }
    if (isKubernetesObject(d.value)) continue; // e.g. a ValidatingAdmissionPolicy: read as context by the linter
    if (!validate(d.value)) {
      const details = (validate.errors ?? []).map((err) => {
        const p = pointerToPath(err.instancePath, d.value);
        const where = toDotted(p) || '(policy)';
        let msg = err.message ?? err.keyword;
        if (err.keyword === 'additionalProperties') msg = `unknown property "${String(err.params.additionalProperty)}"`;
        if (err.keyword === 'enum')
          msg = `must be one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        if (err.keyword === 'required') msg = `missing required property "${String(err.params.missingProperty)}"`;
        if (err.keyword === 'pattern' && p[0] === 'id') msg = 'must be a namespaced kebab-case id such as "acme/required-team-label"';
        const pos = err.keyword === 'additionalProperties' ? at([...p, String(err.params.additionalProperty)]) : at(p);
        return `${pos}: ${where}: ${msg}`;
      });
      throw new ConfigError(`invalid policy in ${display}`, [...new Set(details)]);
    }
    const policy = d.value as unknown as PolicyDoc;
    if (policy.expression !== undefined) {
      const { celPolicyRule, checkPolicyExpression } = require('./cel-policy.js') as typeof import('./cel-policy.js');
      const err = checkPolicyExpression(policy.expression);
      if (err)
        throw new ConfigError(`invalid policy ${policy.id} in ${display}`, [`${at(['expression'])}: expression does not compile: ${err}`]);
      rules.push(celPolicyRule(policy, file, configDir, display));
      continue;
    }
    let check: Validate;
    try {
      check = conditions().compile(policy.condition ?? {}) as Validate;
    } catch (e) {
      throw new ConfigError(`invalid policy ${policy.id} in ${display}`, [
        `${at(['condition'])}: condition is not a valid JSON Schema: ${(e as Error).message}`,
      ]);
    }
    rules.push(policyRule(policy, check, file, configDir, display));
  }
  return rules;
}

/** A document of a policy file that is a Kubernetes object (not a k8s-gold policy): apiVersion and kind, other than k8s-gold.dev/v1 Policy. */
export function isKubernetesObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && o.apiVersion !== 'k8s-gold.dev/v1';
}

/** What failed, in words, for {{error}}. */
function errorText(e: SchemaError, value: unknown): string {
  const p = e.params;
  switch (e.keyword) {
    case 'enum':
      return `${describeValue(value)} is not one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${describeValue(value)} is not ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      return `${describeValue(value)} does not match ${String(p.pattern)}`;
    case 'not':
      return `${describeValue(value)} is not allowed`;
    case 'type':
      return `${describeValue(value)} is not ${String(p.type)}`;
    default:
      return `${describeValue(value)} ${e.message ?? `fails ${e.keyword}`}`;
  }
}

function policyRule(policy: PolicyDoc, check: Validate, file: string, configDir: string, display: string): AnyRule {
  return createRule({
    meta: policyMeta(
      policy,
      file,
      display,
      `The target must satisfy this JSON Schema:\n\n\`\`\`yaml\n${dumpCondition(policy.condition ?? {})}\n\`\`\``,
      ['policy'],
    ),
    check(obj, ctx) {
      if (!matches(policy, obj, configDir)) return;
      for (const t of targets(policy, obj)) {
        if (check(t.value)) continue;
        const errors = check.errors ?? [];
        // alternatives subsume the errors of their branches; one finding per field
        const alts = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath);
        const seen = new Set<string>();
        for (const e of errors) {
          if (e.keyword === 'if') continue;
          if (alts.some((a) => e.instancePath !== a && (a === '' ? e.instancePath !== '' : e.instancePath.startsWith(a + '/')))) continue;
          if (alts.includes(e.instancePath) && e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
          const rel = pointerToPath(e.instancePath, t.value);
          const value = valueAt(t.value, rel);
          const relPath: Path = e.keyword === 'required' ? [...rel, String(e.params.missingProperty)] : rel;
          const full = [...t.path, ...relPath];
          const key = JSON.stringify(full);
          if (seen.has(key)) continue;
          seen.add(key);
          ctx.report({
            path: full,
            messageId: 'violation',
            data: {
              kind: obj.kind,
              name: obj.name,
              namespace: obj.namespace,
              container: t.container ?? '',
              path: toDotted(full) || obj.kind,
              value: value === undefined ? '(missing)' : typeof value === 'object' ? JSON.stringify(value) : String(value),
              error:
                e.keyword === 'required' ? `${toDotted(full)} is missing` : `${toDotted(full) || 'the object'}: ${errorText(e, value)}`,
            },
          });
        }
      }
    },
  });
}

function dumpCondition(c: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  return YAML.stringify(c).trimEnd();
}
