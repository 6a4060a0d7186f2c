/**
 * The JSON Schema validators ajv generated at build time (scripts/gen-validators.mjs writes
 * dist/validators/GROUP.cjs): the config, policy and rule-meta schemas and every built-in rule's options
 * schema. Compiling them with ajv at run time cost ~170 ms of every run with a config file. A validator is
 * looked up by the exact text (JSON.stringify) of the schema it was generated from, so a schema that changed
 * since the build, a plugin's schema or a missing build step find none, and the caller compiles with ajv as
 * before; either way the function is the one ajv makes from the same schema and options, with the same errors.
 */
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../util/layout.js';

export type Validate<E = { instancePath: string; message?: string }> = ((data: unknown) => boolean) & { errors?: E[] | null };

export type ValidatorGroup = 'config' | 'options' | 'policy' | 'rule-meta';

/** The options of each group's ajv instance, at build time and at run time alike. */
export const AJV_OPTIONS = {
  config: { allErrors: true, strict: false },
  options: { allErrors: true, strict: false },
  policy: { allErrors: true, strict: false, validateFormats: false, logger: false },
  'rule-meta': { allErrors: true, strict: false },
} as const satisfies Record<ValidatorGroup, object>;

/** The `regex` format of rule options: values a rule compiles (a flag-name pattern) are rejected when the config loads. */
export function regexFormat(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

const groups = new Map<ValidatorGroup, Map<string, Validate> | null>();

/** The validator generated at build time for `schema` in `group` (whose ajv options it shares), if any. */
export function precompiled<E>(group: ValidatorGroup, schema: unknown): Validate<E> | undefined {
  let table = groups.get(group);
  if (table === undefined) {
    table = null;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(PACKAGE_ROOT, 'dist', 'validators', `${group}.cjs`)) as { validators: [string, Validate][] };
      table = new Map(mod.validators);
    } catch {
      // no build step output (or an unreadable one): ajv compiles at run time
    }
    groups.set(group, table);
  }
  return table?.get(JSON.stringify(schema)) as Validate<E> | undefined;
}
