/** A custom resource checked against one definition of its CRD: the schema's findings, not reported yet. */
import type { ManifestObject, Obj } from '../../src/model/object.js';
import type { Path } from '../../src/parse/source.js';
import { compiled, crdUnknownFields, fastChecks, type CrdVersion } from '../../src/schema/crd.js';
import { fastCrdPasses } from '../../src/schema/crd-fast.js';
import { withDefaults } from '../../src/schema/defaults.js';
import { describeErrors, nullRequired, type RawText } from '../../src/schema/errors.js';
import { isTestDataPath } from '../../src/util/testdata.js';

export const underStatus = (p: Path): boolean => p[0] === 'status';

/** the scalar at a path as written in the source */
export function rawText(obj: ManifestObject<Obj>, base: Path = []): RawText {
  return (p) => {
    const loc = obj.locate([...base, ...p]);
    if (!loc.exact || loc.span.vs < 0) return undefined;
    return obj.file.parse.source.text.slice(loc.span.vs, loc.span.ve).trim();
  };
}

export interface CrFinding {
  path: Path;
  messageId: 'invalid' | 'nullRequired' | 'unknownField';
  message: string;
  /** a required field that is missing (a defaulting webhook may set it) */
  required?: true;
}

/** The findings of `v`'s schema on the object (metadata aside); undefined when the schema cannot be compiled. */
export function crFindings(v: CrdVersion, obj: ManifestObject<Obj>): CrFinding[] | undefined {
  // an object the fast path passes needs no compiled validator (ajv would accept it: src/schema/crd-fast.ts)
  const fast = fastChecks(v);
  let validate = fast ? undefined : compiled(v);
  if (!fast && !validate) return undefined;
  const out: CrFinding[] = [];
  const data = obj.data as Obj;
  // the API server applies the schema's defaults before it validates (a oneOf may hinge on a defaulted field)
  const defaulted = withDefaults(v.schema, data) as Obj;
  if (fast && !fastCrdPasses(fast, defaulted)) validate = compiled(v);
  if (validate && !validate(defaulted)) {
    const errors = validate.errors ?? [];
    for (const f of describeErrors(errors, defaulted, underStatus, rawText(obj)))
      out.push(
        f.required
          ? { path: f.path, messageId: 'invalid', message: f.message, required: true }
          : { path: f.path, messageId: 'invalid', message: f.message },
      );
    for (const f of nullRequired(validate, errors, defaulted, underStatus))
      out.push({ path: f.path, messageId: 'nullRequired', message: f.message });
  }
  for (const u of crdUnknownFields(data, v.schema, v.kind)) out.push({ path: u.path, messageId: 'unknownField', message: u.message });
  return out;
}

/**
 * Whether a CRD file is a test fixture (under a Go `testdata` directory or Maven's `src/test/resources`) of a directory
 * other than the object's: such a copy is often partial or old (fluxcd/flux2's cluster_info fixture, the Flink
 * operator's pre-upgrade CRD), and says nothing of the cluster's definition.
 */
export function foreignFixture(crdPath: string, objPath: string): boolean {
  if (!isTestDataPath(crdPath)) return false;
  const dir = crdPath.slice(0, crdPath.lastIndexOf('/') + 1);
  return !objPath.startsWith(dir);
}

/**
 * Of two definitions that both reject an object, whether the first fits it better: fewer findings; then fewer
 * unknown fields (a definition that knows every field the object uses is likelier the one it was written for: an
 * old release's copy of the CRD lacks the newer fields); then findings deeper in the object (it accepted more).
 */
export function fitsBetter(a: CrFinding[], b: CrFinding[]): boolean {
  if (a.length !== b.length) return a.length < b.length;
  const unknown = (l: CrFinding[]) => l.filter((f) => f.messageId === 'unknownField').length;
  if (unknown(a) !== unknown(b)) return unknown(a) < unknown(b);
  const depth = (l: CrFinding[]) => l.reduce((n, f) => n + f.path.length, 0);
  return depth(a) > depth(b);
}
