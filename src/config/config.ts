/**
 * Config discovery, validation (ajv, against schemas/config.schema.json) and
 * per-object rule resolution.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import type { ManifestObject } from '../model/object.js';
import { parseText, locate } from '../parse/parse.js';
import type { RuleRegistry } from '../engine/registry.js';
import type { Severity, SeverityOrOff } from '../engine/rule.js';
import { closest } from '../util/strings.js';
import { PACKAGE_ROOT } from '../util/layout.js';

export type RuleEntry = SeverityOrOff | [SeverityOrOff] | [SeverityOrOff, Record<string, unknown>] | { severity?: SeverityOrOff; options?: Record<string, unknown> };

export interface OverrideEntry {
  files?: string[];
  excludedFiles?: string[];
  match?: { kinds?: string[]; namespaces?: string[]; names?: string[]; labels?: Record<string, string> };
  rules: Record<string, RuleEntry>;
}

export interface ConfigData {
  /** presets to turn on (default: recommended) */
  extends?: string | string[];
  rules?: Record<string, RuleEntry>;
  overrides?: OverrideEntry[];
  ignorePatterns?: string[];
  defaultNamespace?: string;
  kubernetesVersion?: string;
  context?: string[];
  crds?: string[];
  policies?: string[];
  plugins?: string[];
  maxFileSize?: number;
  settings?: Record<string, unknown>;
  helm?: {
    /** the helm command (default: helm on PATH), a path or [command, args...] */
    command?: string | string[];
    /** run helm template with --dependency-update (fetches dependencies from the network) */
    dependencyUpdate?: boolean;
    charts?: { path: string; profiles?: HelmProfileConfig[] }[];
  };
  kustomize?: {
    /** the kustomize command (default: kustomize on PATH, else kubectl kustomize) */
    command?: string | string[];
    /** let kustomize fetch remote resources (URLs, git repositories) */
    allowRemote?: boolean;
    /** build kustomizations (default true); false lints kustomize trees raw */
    render?: boolean;
  };
}

export interface HelmProfileConfig {
  name?: string;
  /** values files, relative to the config file's directory */
  values?: string[];
  set?: string[];
  releaseName?: string;
  namespace?: string;
  kubeVersion?: string;
  apiVersions?: string[];
  skipTests?: boolean;
  includeCrds?: boolean;
}

export interface LoadedConfig {
  data: ConfigData;
  /** the config file, or undefined when none was found */
  file?: string;
  /** directory that relative paths and globs in the config are resolved against */
  dir: string;
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export const CONFIG_NAMES = ['.k8s-gold.yaml', '.k8s-gold.yml', '.k8s-gold.json'];

/** Looks for a config file from `start` up to the repository root (a directory holding .git), or the filesystem root. */
export function findConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    for (const n of CONFIG_NAMES) {
      const p = path.join(dir, n);
      if (fs.existsSync(p)) return p;
    }
    if (fs.existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let schemaValidator: ((data: unknown) => boolean) & { errors?: AjvError[] | null } | undefined;
interface AjvError {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

function schemaPath(): string {
  return path.join(PACKAGE_ROOT, 'schemas', 'config.schema.json');
}

function validator(): NonNullable<typeof schemaValidator> {
  if (!schemaValidator) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv').default as typeof import('ajv').default;
    const ajv = new Ajv({ allErrors: true, strict: false });
    schemaValidator = ajv.compile(JSON.parse(fs.readFileSync(schemaPath(), 'utf8'))) as NonNullable<typeof schemaValidator>;
  }
  return schemaValidator;
}

export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const parsed = parseText(text, { json: file.endsWith('.json'), core12: true });
  if (parsed.errors.length) {
    throw new ConfigError(
      `invalid config file ${file}`,
      parsed.errors.map((e) => {
        const p = parsed.source.position(e.start);
        return `${file}:${p.line}:${p.column}: ${e.message.split('\n')[0]}`;
      }),
    );
  }
  const docs = parsed.documents.filter((d) => !d.empty);
  if (docs.length > 1) throw new ConfigError(`invalid config file ${file}: it must hold one document, not ${docs.length}`);
  const doc = docs[0];
  const data = doc ? doc.value : {};
  const dupes = doc?.duplicateKeys ?? [];
  if (dupes.length) {
    throw new ConfigError(
      `invalid config file ${file}`,
      dupes.map((d) => {
        const p = parsed.source.position(d.span.ks);
        return `${file}:${p.line}:${p.column}: duplicate key "${d.key}"`;
      }),
    );
  }
  const validate = validator();
  if (!validate(data)) {
    const errs = validate.errors ?? [];
    // one message per field: an enum beats the type/oneOf noise of the alternatives
    const hasEnum = new Set(errs.filter((e) => e.keyword === 'enum').map((e) => e.instancePath));
    const hasOneOf = new Set(errs.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
    const useful = errs.filter((e) => (hasEnum.has(e.instancePath) ? e.keyword === 'enum' : hasOneOf.has(e.instancePath) ? e.keyword === 'oneOf' : true));
    const details = useful.map((err) => {
      const extra = err.keyword === 'additionalProperties' ? [String(err.params.additionalProperty)] : [];
      const segs = [...err.instancePath
        .split('/')
        .slice(1)
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s)), ...extra];
      const loc = doc ? locate(parsed.spans, doc.value, doc.node, segs) : undefined;
      const pos = loc ? parsed.source.position(loc.span.ks >= 0 ? loc.span.ks : loc.span.vs) : { line: 1, column: 1 };
      const where = err.instancePath ? err.instancePath.slice(1).replace(/\//g, '.') : '(root)';
      let msg = err.message ?? err.keyword;
      if (err.keyword === 'additionalProperties') msg = `unknown property "${String(err.params.additionalProperty)}"`;
      if (err.keyword === 'oneOf') msg = 'must be a severity (error, warning, info, off), [severity, {options}] or {severity, options}';
      if (err.keyword === 'enum') msg = `must be one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      return `${file}:${pos.line}:${pos.column}: ${where}: ${msg}`;
    });
    throw new ConfigError(`invalid config file ${file}`, [...new Set(details)]);
  }
  return { data: data as ConfigData, file, dir: path.dirname(path.resolve(file)) };
}

export function loadConfig(opts: { configPath?: string; cwd: string; noConfig?: boolean }): LoadedConfig {
  if (opts.configPath) {
    const abs = path.resolve(opts.cwd, opts.configPath);
    if (!fs.existsSync(abs)) throw new ConfigError(`config file not found: ${opts.configPath}`);
    return loadConfigFile(abs);
  }
  if (opts.noConfig) return { data: {}, dir: opts.cwd };
  const found = findConfig(opts.cwd);
  return found ? loadConfigFile(found) : { data: {}, dir: opts.cwd };
}

export interface RuleSetting {
  severity: SeverityOrOff;
  options: Record<string, unknown>;
}

function normalizeEntry(e: RuleEntry): { severity?: SeverityOrOff; options?: Record<string, unknown> } {
  if (typeof e === 'string') return { severity: e };
  if (Array.isArray(e)) return { severity: e[0], options: e[1] };
  return e;
}

/**
 * Resolves severities and options for every rule, per file and per object.
 * Precedence, lowest first: rule defaults, config `rules`, matching
 * `overrides` in order, then `--rule` from the command line.
 */
export class RuleConfigResolver {
  private base = new Map<string, RuleSetting>();
  private cache = new Map<string, Map<string, RuleSetting>>();
  private hasObjectMatch: boolean;

  constructor(
    private registry: RuleRegistry,
    private config: LoadedConfig,
    private cli: Record<string, SeverityOrOff>,
    private validateOptions: (ruleId: string, options: Record<string, unknown>, where: string) => void,
  ) {
    const active = activePresets(config.data.extends);
    for (const r of registry.all()) {
      const on = r.meta.engine || active.has('all') || (r.meta.presets ?? ['recommended']).some((p) => active.has(p));
      this.base.set(r.meta.id, { severity: on ? r.meta.severity : 'off', options: { ...(r.meta.defaultOptions as object) } as Record<string, unknown> });
    }
    this.apply(this.base, config.data.rules ?? {}, 'rules');
    (config.data.overrides ?? []).forEach((o, i) => this.checkIds(o.rules, `overrides[${i}].rules`));
    for (const [id, sev] of Object.entries(cli)) {
      if (!registry.has(id)) throw new ConfigError(`--rule ${id}=${sev}: unknown rule "${id}"`, suggest(id, registry));
      setSeverity(this.base, id, sev);
    }
    this.hasObjectMatch = (config.data.overrides ?? []).some((o) => o.match);
  }

  private checkIds(rules: Record<string, RuleEntry>, where: string): void {
    for (const [id, entry] of Object.entries(rules)) {
      if (!this.registry.has(id)) throw new ConfigError(`${this.config.file ?? 'config'}: ${where}: unknown rule "${id}"`, suggest(id, this.registry));
      const n = normalizeEntry(entry);
      const group = this.registry.groupId(id);
      if (group !== id && n.options) {
        throw new ConfigError(`${this.config.file ?? 'config'}: ${where}.${id}: the id of one ${this.registry.get(id)!.meta.instanceIds!.of} takes a severity only; set options on ${group}`);
      }
      if (n.options) this.validateOptions(id, { ...(this.registry.get(id)!.meta.defaultOptions as object), ...n.options }, `${where}.${id}`);
    }
  }

  private apply(target: Map<string, RuleSetting>, rules: Record<string, RuleEntry>, where: string): void {
    this.checkIds(rules, where);
    for (const [id, entry] of Object.entries(rules)) {
      const n = normalizeEntry(entry);
      const cur = target.get(id);
      // an instance id (vap/<policy>) has a setting only once one is configured for it
      if (!cur) {
        if (n.severity !== undefined) target.set(id, { severity: n.severity, options: {} });
        continue;
      }
      const next: RuleSetting = { severity: n.severity ?? cur.severity, options: n.options ? { ...cur.options, ...n.options } : cur.options };
      target.set(id, next);
    }
  }

  private relFile(absFile: string): string {
    return path.relative(this.config.dir, absFile).split(path.sep).join('/');
  }

  /** Settings for an object in a file (absolute path). */
  resolve(absFile: string, obj?: ManifestObject<unknown>): Map<string, RuleSetting> {
    const overrides = this.config.data.overrides ?? [];
    if (overrides.length === 0) return this.base;
    const rel = this.relFile(absFile);
    const fileMatches = overrides.map((o) => fileMatch(o, rel));
    const objMatches = overrides.map((o) => (o.match ? (obj ? objectMatch(o.match, obj) : false) : true));
    const key = fileMatches.map((f, i) => (f && objMatches[i] ? '1' : '0')).join('');
    if (!this.hasObjectMatch || obj) {
      const hit = this.cache.get(key);
      if (hit) return hit;
    }
    const out = new Map<string, RuleSetting>();
    for (const [k, v] of this.base) out.set(k, { ...v });
    overrides.forEach((o, i) => {
      if (fileMatches[i] && objMatches[i]) this.apply(out, o.rules, `overrides[${i}].rules`);
    });
    // the command line wins over overrides too
    for (const [id, sev] of Object.entries(this.cli)) setSeverity(out, id, sev);
    this.cache.set(key, out);
    return out;
  }
}

/** Sets a rule's severity (an instance id, vap/<policy>, gets its first setting). */
function setSeverity(target: Map<string, RuleSetting>, id: string, severity: SeverityOrOff): void {
  const cur = target.get(id);
  if (cur) cur.severity = severity;
  else target.set(id, { severity, options: {} });
}

/** The presets a config turns on: `extends` (a name or a list), else `recommended`. */
export function activePresets(ext: string | string[] | undefined): Set<string> {
  if (ext === undefined) return new Set(['recommended']);
  return new Set(Array.isArray(ext) ? ext : [ext]);
}

function fileMatch(o: OverrideEntry, rel: string): boolean {
  const opts = { dot: true, matchBase: false };
  if (o.files && !o.files.some((g) => minimatch(rel, g, opts) || minimatch(rel, `${g.replace(/\/$/, '')}/**`, opts))) return false;
  if (o.excludedFiles && o.excludedFiles.some((g) => minimatch(rel, g, opts))) return false;
  return true;
}

function objectMatch(m: NonNullable<OverrideEntry['match']>, obj: ManifestObject<unknown>): boolean {
  if (m.kinds && !m.kinds.includes(obj.kind)) return false;
  if (m.namespaces && !m.namespaces.some((n) => minimatch(obj.namespace, n))) return false;
  if (m.names && !m.names.some((n) => minimatch(obj.name, n))) return false;
  if (m.labels) {
    const labels = obj.labels;
    for (const [k, v] of Object.entries(m.labels)) {
      if (!Object.prototype.hasOwnProperty.call(labels, k) || String(labels[k]) !== v) return false;
    }
  }
  return true;
}

function suggest(id: string, registry: RuleRegistry): string[] {
  const best = closest(id, registry.ids());
  return best ? [`did you mean "${best}"?`] : [];
}

export function isSeverity(s: string): s is Severity {
  return s === 'error' || s === 'warning' || s === 'info';
}
