/**
 * Test-harness assertions. Chainsaw (kyverno/chainsaw) and KUTTL compare the files of their `assert` and `error`
 * operations with what is in the cluster: each holds the fields a test checks (often no required field, often
 * `status`), and is never applied. Linted as objects they gave dozens of schema errors per end-to-end suite
 * (open-telemetry/opentelemetry-operator: 300). Such a file keeps its syntax findings and gets one note instead.
 *
 * A file is set aside when a chainsaw Test of the input names it in an `assert` or `error` operation, in a `patch`
 * (fields merged into an object that exists) or an `apply` of objects that an earlier operation of the test made or
 * asserted (chainsaw merges them into those), or in an `apply` or `create` that expects an error (a negative test of
 * the API server's validation), or when its name is KUTTL's `<step>-assert.yaml` or `<step>-errors.yaml`, or when
 * every object in it is a snapshot of one a controller made: an ownerReference with `controller: true` and no `uid`,
 * which the API server requires, so the object cannot be applied (percona-xtradb-cluster-operator's
 * end-to-end compare files, what `kubectl get -o yaml` printed, stripped, for a shell test to compare), or when every
 * object in it is the data of an API round-trip test (see roundTripFixture).
 *
 * Likewise a patch outside any kustomization: a file whose name says patch (`sidecar-patch.yaml` for `kubectl patch
 * --patch-file`) with an object that lacks what an object of its kind needs (a Deployment's selector, a custom
 * resource's required fields: the test of kustomize directories' unlisted files). A file so named whose objects are
 * complete, or of kinds whose needs are not known, is linted (`envoy-patch-policy.yaml` holds EnvoyPatchPolicies).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asArray, isObj, own } from '../model/object.js';
import nonManifestFile from '../../rules/non-manifest-file/index.js';
import { engineReport, type LoadedFile } from './load.js';
import { CrdRegistry } from '../schema/crd.js';
import { isCrd, knownIncomplete } from './unlisted.js';
import { KUSTOMIZATION_NAMES } from '../load/kustomize-files.js';

const KUTTL = /^\d+-(assert|errors)\.ya?ml$/i;
/** A file name that says patch: `x-patch.yaml`, `patch_x.yaml`, `x.patch.yaml`, `jsonpatch-x.yaml` (not `dispatcher.yaml`). */
const PATCH_NAME = /(?:^|[^a-z]|json|merge)patch(?:es)?(?:[^a-z]|$)/i;
/** a file a test or script passes to `kubectl delete -f` (calico's confd mock data: `calicoctl delete -f delete.yaml`) */
const DELETE = /^(\d+-)?delete\.ya?ml$/i;

/** Whether some object of the file is only an identity (apiVersion, kind, metadata), as a list of what to delete is. */
function namesOnly(l: LoadedFile): boolean {
  return l.objects.some((o) => isObj(o.data) && Object.keys(o.data).every((k) => k === 'apiVersion' || k === 'kind' || k === 'metadata'));
}

type Role = 'assertion' | 'patch' | 'rejected';

/** Whether a chainsaw operation expects an error (`expect: [{check: {($error != null): true}}]`): a negative test. */
function expectsError(op: Record<string, unknown>): boolean {
  return asArray(own(op, 'expect')).some((e) => {
    const check = isObj(e) ? own(e, 'check') : undefined;
    return isObj(check) && Object.entries(check).some(([k, v]) => /\$error\s*!=\s*null/.test(k) && v === true);
  });
}

/** `kind group namespace name` of an object, to tell when a chainsaw operation applies one that an earlier one made. */
function identity(o: { kind: string; group: string; declaredNamespace: string | undefined; name: string }): string {
  return `${o.kind}\u0000${o.group}\u0000${o.declaredNamespace ?? ''}\u0000${o.name}`;
}

/**
 * Files the chainsaw Tests of the input use as assertions (`assert`, `error`), as patches (`patch`: merged into an
 * existing object; or an `apply` of objects an earlier operation of the test applied or created, which chainsaw merges
 * into them: redis-operator's `expand-patch.yaml`, a Redis with only its storage), or apply expecting the API server
 * to reject them: absolute path → the test's display path and role.
 */
function chainsawFiles(loaded: LoadedFile[]): Map<string, { by: string; role: Role }> {
  const out = new Map<string, { by: string; role: Role }>();
  const byPath = new Map(loaded.map((l) => [l.file.absPath, l]));
  // files applied onto objects that exist, and files that made objects (a file applied twice is no update of itself)
  const updates = new Map<string, string>();
  const creates = new Set<string>();
  for (const l of loaded) {
    // a file known to hold no chainsaw Test (LoadedFile.plain)
    if (l.plain) continue;
    for (const o of l.objects) {
      if (o.group !== 'chainsaw.kyverno.io' || o.kind !== 'Test' || !isObj(o.data)) continue;
      const spec = own(o.data, 'spec');
      // the objects the test's operations so far applied or created (and did not delete)
      const made = new Set<string>();
      for (const step of isObj(spec) ? asArray(own(spec, 'steps')) : []) {
        if (!isObj(step)) continue;
        for (const block of ['try', 'catch', 'finally', 'cleanup'])
          for (const op of asArray(own(step, block))) {
            if (!isObj(op)) continue;
            for (const [verb, a] of Object.entries(op)) {
              const file = isObj(a) ? own(a, 'file') : undefined;
              if (typeof file !== 'string' || /^[a-z]+:\/\//i.test(file)) continue;
              const abs = path.resolve(path.dirname(l.file.absPath), file);
              const ids = (byPath.get(abs)?.objects ?? []).map(identity);
              const rejected = (verb === 'apply' || verb === 'create') && expectsError(a as Record<string, unknown>);
              if (verb === 'apply' && !rejected && ids.length > 0 && ids.every((id) => made.has(id))) updates.set(abs, l.file.path);
              else if ((verb === 'apply' || verb === 'create') && !rejected) creates.add(abs);
              const role: Role | undefined =
                verb === 'assert' || verb === 'error' ? 'assertion' : verb === 'patch' ? 'patch' : rejected ? 'rejected' : undefined;
              if (role) out.set(abs, { by: l.file.path, role });
              if ((verb === 'apply' || verb === 'create') && !rejected) for (const id of ids) made.add(id);
              // an assert waits until the cluster has the objects (one an operator made from a custom resource:
              // the OpenTelemetry operator's `daemonset-collector`), so a later apply of them is merged into them
              if (verb === 'assert') for (const id of ids) made.add(id);
              if (verb === 'delete') for (const id of ids) made.delete(id);
            }
          }
      }
    }
  }
  for (const [abs, by] of updates) if (!creates.has(abs) && !out.has(abs)) out.set(abs, { by, role: 'patch' });
  return out;
}

/** Whether a directory holding the file, or one above it, has a kustomization: kustomize's patches are judged there. */
function inKustomizeTree(abs: string): boolean {
  if (!path.isAbsolute(abs)) return false;
  for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
    for (const n of KUSTOMIZATION_NAMES) if (fs.existsSync(path.join(dir, n))) return true;
    if (path.dirname(dir) === dir) return false;
  }
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
 * Whether every object of the file is serialization data of an API round-trip test: k8s.io/apimachinery's
 * compatibility fixtures (`testdata/HEAD/<group>.<version>.<Kind>.yaml`, kubevirt's `apitesting/testdata`) fill every
 * field with a value named after it (`name: nameValue`, `uid: uidValue`, an enum `nameValue`), which no object to
 * apply has.
 */
function roundTripFixture(l: LoadedFile): boolean {
  return l.objects.every((o) => {
    const meta = isObj(o.data) ? own(o.data, 'metadata') : undefined;
    return isObj(meta) && own(meta, 'name') === 'nameValue' && own(meta, 'uid') === 'uidValue';
  });
}

/**
 * Marks the assertion files among the loaded ones: their objects are dropped (syntax findings stay) and they get a
 * note. Returns how many there were.
 */
export function setAsideAssertions(loaded: LoadedFile[]): number {
  const chainsaw = chainsawFiles(loaded);
  let crds: CrdRegistry | undefined;
  let n = 0;
  for (const l of loaded) {
    if (l.render) continue;
    const used = chainsaw.get(l.file.absPath);
    const kuttl = used === undefined && KUTTL.test(path.basename(l.file.absPath));
    // an unchanged file of an incremental run was no snapshot when the state was recorded (its own objects decide it),
    // and its values are not decoded to ask again
    const decided = used !== undefined || kuttl || l.unchanged === true || l.objects.length === 0;
    const owner = decided ? undefined : controllerSnapshot(l);
    const fixture = !decided && owner === undefined && roundTripFixture(l);
    const deleted = !decided && owner === undefined && !fixture && DELETE.test(path.basename(l.file.absPath)) && namesOnly(l);
    const patch =
      !decided &&
      owner === undefined &&
      !fixture &&
      !deleted &&
      PATCH_NAME.test(path.basename(l.file.absPath)) &&
      !inKustomizeTree(l.file.absPath) &&
      l.objects.some((o) => knownIncomplete(o, (crds ??= new CrdRegistry(loaded.flatMap((x) => x.objects.filter(isCrd))))));
    if (used === undefined && !kuttl && owner === undefined && !fixture && !deleted && !patch) continue;
    n++;
    l.objects = [];
    l.early = l.early.filter((e) => e.ruleId !== 'invalid-object');
    l.testAssertion = true;
    l.early.push({
      ...engineReport(nonManifestFile, 'testAssertion', {
        what: deleted
          ? 'a list of objects to delete (its name says so, and it names some by their identity alone): kubectl delete -f reads only their kind and name'
          : fixture
            ? 'serialization data of an API round-trip test (every field holds a value named after it: name: nameValue, uid: uidValue)'
            : patch
              ? 'a patch (its name says so, and an object in it lacks fields an object of its kind needs): fields merged into an object that exists'
              : owner !== undefined
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
