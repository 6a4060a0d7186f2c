/**
 * Config discovery, validation (ajv, against schemas/config.schema.json) and
 * per-object rule resolution.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseText, locate } from '../parse/parse.js';
import { PACKAGE_ROOT } from '../util/layout.js';
import { AJV_OPTIONS, precompiled } from './precompiled.js';
import { ConfigError, type ConfigData, type LoadedConfig } from './types.js';
export { ConfigError } from './types.js';
export type { RuleEntry, OverrideEntry, ConfigData, HelmProfileConfig, LoadedConfig } from './types.js';
export { RuleConfigResolver, activePresets, isSeverity } from './resolve.js';
export type { RuleSetting } from './resolve.js';

export { CONFIG_NAMES, findConfig } from './find.js';
import { findConfig } from './find.js';

let schemaValidator: (((data: unknown) => boolean) & { errors?: AjvError[] | null }) | undefined;
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
    const schema = JSON.parse(fs.readFileSync(schemaPath(), 'utf8')) as object;
    // generated at build time from this schema with these options (./precompiled.ts), else compiled here
    schemaValidator = precompiled<AjvError>('config', schema);
    if (!schemaValidator) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Ajv = require('ajv').default as typeof import('ajv').default;
      const ajv = new Ajv({ ...AJV_OPTIONS.config });
      schemaValidator = ajv.compile(schema) as NonNullable<typeof schemaValidator>;
    }
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
    const useful = errs.filter((e) =>
      hasEnum.has(e.instancePath) ? e.keyword === 'enum' : hasOneOf.has(e.instancePath) ? e.keyword === 'oneOf' : true,
    );
    const details = useful.map((err) => {
      const extra = err.keyword === 'additionalProperties' ? [String(err.params.additionalProperty)] : [];
      const segs = [
        ...err.instancePath
          .split('/')
          .slice(1)
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
          .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
        ...extra,
      ];
      const loc = doc ? locate(parsed.spans, doc.value, doc.node, segs) : undefined;
      const pos = loc ? parsed.source.position(loc.span.ks >= 0 ? loc.span.ks : loc.span.vs) : { line: 1, column: 1 };
      const where = err.instancePath ? err.instancePath.slice(1).replace(/\//g, '.') : '(root)';
      let msg = err.message ?? err.keyword;
      if (err.keyword === 'additionalProperties') msg = `unknown property "${String(err.params.additionalProperty)}"`;
      if (err.keyword === 'oneOf') msg = 'must be a severity (error, warning, info, off), [severity, {options}] or {severity, options}';
      if (err.keyword === 'enum')
        msg = `must be one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
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
