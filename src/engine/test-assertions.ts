/**
 * Test-harness assertions. Chainsaw (kyverno/chainsaw) and KUTTL compare the files of their `assert` and `error`
 * operations with what is in the cluster: each holds the fields a test checks (often no required field, often
 * `status`), and is never applied. Linted as objects they gave dozens of schema errors per end-to-end suite
 * (open-telemetry/opentelemetry-operator: 300). Such a file keeps its syntax findings and gets one note instead.
 *
 * A file is set aside when a chainsaw Test of the input names it in an `assert` or `error` operation, in a `patch`
 * (fields merged into an object that exists), or in an `apply` or `create` that expects an error (a negative test of
 * the API server's validation), or when its name is KUTTL's `<step>-assert.yaml` or `<step>-errors.yaml`, or when
 * every object in it is a snapshot of one a controller made: an ownerReference with `controller: true` and no `uid`,
 * which the API server requires, so the object cannot be applied (percona-xtradb-cluster-operator's
 * end-to-end compare files, what `kubectl get -o yaml` printed, stripped, for a shell test to compare).
 */
import * as path from 'node:path';
import { asArray, isObj, own } from '../model/object.js';
import nonManifestFile from '../../rules/non-manifest-file/index.js';
import { engineReport, type LoadedFile } from './load.js';

const KUTTL = /^\d+-(assert|errors)\.ya?ml$/i;

type Role = 'assertion' | 'patch' | 'rejected';

/** Whether a chainsaw operation expects an error (`expect: [{check: {($error != null): true}}]`): a negative test. */
function expectsError(op: Record<string, unknown>): boolean {
  return asArray(own(op, 'expect')).some((e) => {
    const check = isObj(e) ? own(e, 'check') : undefined;
    return isObj(check) && Object.entries(check).some(([k, v]) => /\$error\s*!=\s*null/.test(k) && v === true);
  });
}

/**
 * Files the chainsaw Tests of the input use as assertions (`assert`, `error`), as patches (`patch`: merged into an
 * existing object), or apply expecting the API server to reject them: absolute path → the test's display path and role.
 */
function chainsawFiles(loaded: LoadedFile[]): Map<string, { by: string; role: Role }> {
  const out = new Map<string, { by: string; role: Role }>();
  for (const l of loaded) {
    // a file known to hold no chainsaw Test (LoadedFile.plain)
    if (l.plain) continue;
    for (const o of l.objects) {
      if (o.group !== 'chainsaw.kyverno.io' || o.kind !== 'Test' || !isObj(o.data)) continue;
      const spec = own(o.data, 'spec');
      for (const step of isObj(spec) ? asArray(own(spec, 'steps')) : []) {
        if (!isObj(step)) continue;
        for (const block of ['try', 'catch', 'finally', 'cleanup'])
          for (const op of asArray(own(step, block))) {
            if (!isObj(op)) continue;
            for (const [verb, a] of Object.entries(op)) {
              const file = isObj(a) ? own(a, 'file') : undefined;
              if (typeof file !== 'string' || /^[a-z]+:\/\//i.test(file)) continue;
              const role: Role | undefined =
                verb === 'assert' || verb === 'error'
                  ? 'assertion'
                  : verb === 'patch'
                    ? 'patch'
                    : (verb === 'apply' || verb === 'create') && expectsError(a as Record<string, unknown>)
                      ? 'rejected'
                      : undefined;
              if (role) out.set(path.resolve(path.dirname(l.file.absPath), file), { by: l.file.path, role });
            }
          }
      }
    }
  }
  return out;
}

/** The owner, as `Kind name`, when every object of the file is a snapshot of one a controller made (see above). */
function controllerSnapshot(l: LoadedFile): string | undefined {
  let owner: string | undefined;
  for (const o of l.objects) {
    const meta = isObj(o.data) ? own(o.data, 'metadata') : undefined;
    const ref = asArray(isObj(meta) ? own(meta, 'ownerReferences') : undefined).find(
      (r) => isObj(r) && own(r, 'controller') === true && (own(r, 'uid') === undefined || own(r, 'uid') === ''),
    );
    if (!isObj(ref)) return undefined;
    owner ??= `${String(own(ref, 'kind'))} ${String(own(ref, 'name'))}`;
  }
  return owner;
}

/**
 * Marks the assertion files among the loaded ones: their objects are dropped (syntax findings stay) and they get a
 * note. Returns how many there were.
 */
export function setAsideAssertions(loaded: LoadedFile[]): number {
  const chainsaw = chainsawFiles(loaded);
  let n = 0;
  for (const l of loaded) {
    if (l.render) continue;
    const used = chainsaw.get(l.file.absPath);
    const kuttl = used === undefined && KUTTL.test(path.basename(l.file.absPath));
    // an unchanged file of an incremental run was no snapshot when the state was recorded (its own objects decide it),
    // and its values are not decoded to ask again
    const owner = used === undefined && !kuttl && !l.unchanged && l.objects.length > 0 ? controllerSnapshot(l) : undefined;
    if (used === undefined && !kuttl && owner === undefined) continue;
    n++;
    l.objects = [];
    l.early = l.early.filter((e) => e.ruleId !== 'invalid-object');
    l.testAssertion = true;
    l.early.push({
      ...engineReport(nonManifestFile, 'testAssertion', {
        what:
          owner !== undefined
            ? `a snapshot of what a controller made (owned by ${owner} with controller: true and no uid, which the API server requires): the fields a test compares with the cluster`
            : used === undefined
              ? 'a KUTTL assertion (its name says so): the fields a test compares with the cluster'
              : used.role === 'assertion'
                ? `an assertion of the chainsaw test ${used.by}: the fields a test compares with the cluster`
                : used.role === 'patch'
                  ? `a patch of the chainsaw test ${used.by}: fields merged into an object that exists`
                  : `applied by the chainsaw test ${used.by}, which expects the API server to reject it`,
      }),
      range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
    });
  }
  return n;
}
