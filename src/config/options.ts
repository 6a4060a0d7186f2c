/** Validation of rule options against each rule's option schema (generated at build time, or ajv compiled on first use). */
import { optionsSchemaOf } from '../engine/rule.js';
import type { RuleRegistry } from '../engine/registry.js';
import { AJV_OPTIONS, precompiled, regexFormat } from './precompiled.js';

type Validate = ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
const cache = new Map<string, Validate>();
let ajv: import('ajv').default | undefined;

export function validateRuleOptions(
  registry: RuleRegistry,
  ruleId: string,
  options: Record<string, unknown>,
  where: string,
  file: string,
  ErrorClass: new (message: string, details?: string[]) => Error,
): void {
  const rule = registry.get(ruleId);
  const schema = rule ? optionsSchemaOf(rule.meta) : undefined;
  if (!schema) return;
  let v = cache.get(ruleId);
  // a built-in rule's schema: generated at build time with these options (./precompiled.ts)
  if (!v) v = precompiled('options', schema);
  if (!v) {
    if (!ajv) {
      const Ajv = (require('ajv') as typeof import('ajv')).default;
      ajv = new Ajv({ ...AJV_OPTIONS.options });
      ajv.addFormat('regex', regexFormat);
    }
    v = ajv.compile(schema) as Validate;
  }
  cache.set(ruleId, v);
  if (!v(options)) {
    throw new ErrorClass(
      `${file}: invalid options for rule ${ruleId}`,
      (v.errors ?? []).map((e) => `${where}.options${e.instancePath.replace(/\//g, '.')}: ${e.message ?? 'invalid'}`),
    );
  }
}
