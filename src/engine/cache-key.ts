// The cache's key: the inputs of a run (CacheInputs), the tool's own code, the rule set and options, digested.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUNDLED, CODE_DIR } from '../util/layout.js';
import type { LoadedConfig } from '../config/config.js';
import type { RuleRegistry } from './registry.js';

export const FORMAT = 3;

export interface CacheInputs {
  cwd: string;
  inputs: string[];
  context?: string[];
  config: LoadedConfig;
  cliRules?: Record<string, string>;
  ignorePatterns?: string[];
  maxFileSize?: number;
  registry: RuleRegistry;
  version: string;
  /** --crd paths */
  crds?: string[];
  /** --kubernetes-version */
  kubernetesVersion?: string;
  /** --values, --set, --helm-dependency-update, --show-rendered */
  render?: Record<string, unknown>;
}
export function sha(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The tool's own code: a changed build invalidates the cache even without a version bump. */
function codeStamp(): string {
  const parts: string[] = [];
  const files: string[] = [];
  if (BUNDLED) {
    // the bundle (dist/k8s-gold.cjs) holds the engine and every rule
    files.push(__filename);
  } else {
    // unbundled (tsc output or ts-jest): every engine module and every rule, so that a change anywhere
    // (src/model/, a helper, a rule) is seen; the data files are keyed through their own stamps too
    const walk = (dir: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(js|ts|json)$/.test(e.name) && !/\.test\.|\.d\.ts$/.test(e.name)) files.push(p);
      }
    };
    walk(CODE_DIR);
    walk(path.join(CODE_DIR, '..', 'rules'));
    files.sort();
  }
  for (const f of files) {
    try {
      const st = fs.statSync(f);
      parts.push(`${f}:${st.size}:${st.mtimeMs}`);
    } catch {
      // not this layout
    }
  }
  return parts.join('|');
}

export function cacheKey(c: CacheInputs): string {
  const rules = c.registry
    .all()
    .map((r) =>
      JSON.stringify([
        r.meta.id,
        r.meta.severity,
        r.meta.appliesTo ?? r.meta.kinds ?? null,
        r.meta.messages ?? null,
        r.meta.defaultOptions ?? null,
        r.meta.description,
      ]),
    );
  return sha(
    JSON.stringify({
      format: FORMAT,
      version: c.version,
      node: process.version,
      code: codeStamp(),
      rules,
      config: c.config.data,
      configFile: c.config.file ?? null,
      configDir: c.config.dir,
      cwd: c.cwd,
      inputs: c.inputs,
      context: c.context ?? [],
      cliRules: c.cliRules ?? {},
      ignorePatterns: c.ignorePatterns ?? [],
      maxFileSize: c.maxFileSize ?? null,
      crds: c.crds ?? [],
      kubernetesVersion: c.kubernetesVersion ?? null,
      render: c.render ?? null,
    }),
  );
}
