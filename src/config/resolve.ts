/** Per-object rule resolution: presets, `rules:`, and `overrides` by file glob and object, with their severities and options. */
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import type { ManifestObject } from '../model/object.js';
import type { RuleRegistry } from '../engine/registry.js';
import type { Severity, SeverityOrOff } from '../engine/rule.js';
import { closest } from '../util/strings.js';
import { ConfigError, type LoadedConfig, type OverrideEntry, type RuleEntry } from './types.js';

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
      this.base.set(r.meta.id, {
        severity: on ? r.meta.severity : 'off',
        options: { ...(r.meta.defaultOptions as object) } as Record<string, unknown>,
      });
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
      if (!this.registry.has(id))
        throw new ConfigError(`${this.config.file ?? 'config'}: ${where}: unknown rule "${id}"`, suggest(id, this.registry));
      const n = normalizeEntry(entry);
      const group = this.registry.groupId(id);
      if (group !== id && n.options) {
        throw new ConfigError(
          `${this.config.file ?? 'config'}: ${where}.${id}: the id of one ${this.registry.get(id)!.meta.instanceIds!.of} takes a severity only; set options on ${group}`,
        );
      }
      if (n.options)
        this.validateOptions(id, { ...(this.registry.get(id)!.meta.defaultOptions as object), ...n.options }, `${where}.${id}`);
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
      const next: RuleSetting = {
        severity: n.severity ?? cur.severity,
        options: n.options ? { ...cur.options, ...n.options } : cur.options,
      };
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
