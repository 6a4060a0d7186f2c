/**
 * Rules from the config: policies (`policies:`) and plugins (`plugins:`),
 * registered into the RuleRegistry after the config is loaded, so that
 * severities, suppressions, `rules`, `explain` and SARIF see them.
 */
import * as path from 'node:path';
import { ConfigError, type LoadedConfig } from '../config/config.js';
import type { RuleRegistry } from '../engine/registry.js';
import type { AnyRule } from '../engine/rule.js';

export function registerExtensions(registry: RuleRegistry, config: LoadedConfig, cwd: string): void {
  const data = config.data;
  if (!data.policies?.length && !data.plugins?.length) return;
  const rules: { rule: AnyRule; from: string }[] = [];
  if (data.policies?.length) {
    const { expandPolicyPaths, loadPolicyFile } = require('./policy.js') as typeof import('./policy.js');
    for (const f of expandPolicyPaths(data.policies, config.dir)) {
      const display = path.relative(cwd, f).split(path.sep).join('/') || f;
      for (const rule of loadPolicyFile(f, config.dir, display)) rules.push({ rule, from: display });
    }
  }
  if (data.plugins?.length) {
    const { loadPlugin } = require('./plugins.js') as typeof import('./plugins.js');
    for (const p of data.plugins) for (const rule of loadPlugin(p, config.dir)) rules.push({ rule, from: p });
  }
  const seen = new Map<string, string>();
  for (const { rule, from } of rules) {
    const id = rule.meta.id;
    if (registry.has(id)) {
      throw new ConfigError(`duplicate rule id "${id}" in ${from}`, [
        seen.has(id) ? `already defined by ${seen.get(id)}` : 'a built-in rule has this id',
      ]);
    }
    registry.add(rule);
    seen.set(id, from);
  }
}
