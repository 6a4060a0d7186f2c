/**
 * Start-up: kubernetes-models' precompiled validators all require
 * `@kubernetes-models/validate`, whose index loads, eagerly, ajv-i18n (24
 * locale modules, for the error messages of runValidateFunc, which we never
 * call) and ajv-formats-draft2019 (iri, idn-email, idn-hostname: uri-js,
 * nearley, smtp-address-parser), about 45 modules and 10 to 15 ms, while the
 * validators only read the formats int32, int64, double, date-time, byte and
 * quantity (test/lazy-formats.test.ts checks that list and that the object
 * below is, key by key, the package's own).
 *
 * So, before the first validator is loaded, the module cache gets an entry
 * for `@kubernetes-models/validate` (as the validators resolve it) with the
 * same exports, lazily: `formats` is the package's own formats object,
 * built by its own dist/formats.js while ajv-formats-draft2019 stands in as
 * an empty object, with the draft-2019 formats then defined as getters that
 * load the real ones on first use; `runValidateFunc` loads dist/validate.js
 * on first use. If anything is not as expected the real module is used.
 */
import Module from 'node:module';
import * as path from 'node:path';
import { isApiBase64 } from './base64.js';

/** The exports of ajv-formats-draft2019/formats/index.js (checked by the test). */
export const DRAFT2019_FORMATS = ['iri', 'duration', 'idn-email', 'idn-hostname', 'iri-reference'] as const;

type AnyModule = { exports: unknown; filename: string; loaded: boolean; paths: string[] };
type ModuleStatics = {
  _cache: Record<string, AnyModule | undefined>;
  _nodeModulePaths(dir: string): string[];
  new (id: string, parent?: unknown): AnyModule;
};

const installed = new Set<string>();

/** Installs the lazy `@kubernetes-models/validate` for validators under `pkgDir` (a package directory). */
export function installLazyValidate(pkgDir: string): void {
  const M = Module as unknown as ModuleStatics;
  let index: string;
  try {
    index = Module.createRequire(path.join(pkgDir, 'package.json')).resolve('@kubernetes-models/validate');
  } catch {
    return;
  }
  if (installed.has(index) || M._cache[index]) return;
  installed.add(index);
  try {
    const dist = path.dirname(index);
    const req = Module.createRequire(index);
    const formatsFile = path.join(dist, 'formats.js');
    const draftFile = Module.createRequire(formatsFile).resolve('ajv-formats-draft2019/formats/index.js');
    if (M._cache[formatsFile] || M._cache[draftFile]) return;
    // dist/formats.js spreads the draft-2019 formats into its object: let it spread nothing
    const standIn = new M(draftFile);
    standIn.filename = draftFile;
    standIn.loaded = true;
    standIn.exports = {};
    M._cache[draftFile] = standIn;
    let formats: Record<string, unknown>;
    try {
      formats = (req(formatsFile) as { formats: Record<string, unknown> }).formats;
    } finally {
      delete M._cache[draftFile];
      // the next require of dist/formats.js (if any) gets the real thing
      delete M._cache[formatsFile];
    }
    // base64 as the API server reads it: line breaks are skipped (src/schema/base64.ts)
    formats.byte = { type: 'string', validate: isApiBase64 };
    for (const name of DRAFT2019_FORMATS) {
      Object.defineProperty(formats, name, {
        configurable: true,
        enumerable: true,
        get() {
          const value = (req(draftFile) as Record<string, unknown>)[name];
          Object.defineProperty(formats, name, { configurable: true, enumerable: true, writable: true, value });
          return value;
        },
      });
    }
    const api: Record<string, unknown> = {};
    Object.defineProperty(api, '__esModule', { value: true });
    Object.defineProperty(api, 'formats', { enumerable: true, value: formats });
    Object.defineProperty(api, 'runValidateFunc', {
      enumerable: true,
      get: () => (req(path.join(dist, 'validate.js')) as { runValidateFunc: unknown }).runValidateFunc,
    });
    const mod = new M(index);
    mod.filename = index;
    mod.paths = M._nodeModulePaths(dist);
    mod.exports = api;
    mod.loaded = true;
    M._cache[index] = mod;
  } catch {
    // the real module then
  }
}
