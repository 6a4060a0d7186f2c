import * as path from 'node:path';
import { defineRule } from '../../src/engine/rule.js';
import { isTestDataPath } from '../../src/util/testdata.js';
import { isClusterScoped, whereIs } from '../../src/model/index.js';
import { isHelmRendered, isObj, type ManifestObject, type Obj } from '../../src/model/object.js';

type MO = ManifestObject<Obj>;

/**
 * A canonical text of an object's content, for comparing two definitions: keys sorted, metadata.namespace left out (the
 * identity already holds the effective one), and apiVersion too (the identity holds the group; the version is how the
 * object is written, and one object written in two versions of a CRD is one object).
 */
function canonical(o: MO): string {
  const norm = (v: unknown, top: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => norm(x, false));
    if (!isObj(v)) return v;
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) {
      if (top && k === 'apiVersion') continue;
      if (top && k === 'metadata' && isObj(v.metadata)) {
        const { namespace: _ns, ...rest } = v.metadata;
        void _ns;
        out[k] = norm(rest, false);
      } else out[k] = norm(v[k], false);
    }
    return out;
  };
  return JSON.stringify(norm(o.data, true));
}

const canonicalMemo = new WeakMap<object, string>();
function content(o: MO): string {
  let c = canonicalMemo.get(o);
  if (c === undefined) canonicalMemo.set(o, (c = canonical(o)));
  return c;
}

function dirOf(o: MO): string {
  return o.file.absPath.startsWith('<') ? '' : path.dirname(o.file.absPath);
}

export default defineRule({
  meta: {
    id: 'duplicate-object',
    severity: 'warning',
    category: 'correctness',
    description: 'Two different objects in the input must not share one identity (kind, API group, namespace and name).',
    rationale:
      'The API server keeps one object per kind, group, namespace and name. When one input set defines it twice, `kubectl apply -f` applies both and the later silently replaces the earlier: a ConfigMap loses its keys, a Deployment its resources, and nothing reports it. ' +
      'Cross-object checks are misled the same way: which of the two a reference means depends on what is applied together.\n\n' +
      "Severity follows what the manifests say about being applied together. In one file with different content: a warning (`kubectl apply -f file` applies both), or an info in a file of a Go `testdata` directory, a test's data, which may hold versions of one object on purpose (contour's `internal/k8s/testdata/*-change.yaml`: an object before and after a change). " +
      'In two files of one directory (`kubectl apply -f dir/` would apply both, but recipe and sample directories hold alternatives that are never applied together, and nothing in the files tells which), or in a directory and one below it (`kubectl apply -R -f` of the outer one applies both): an info. Definitions in directories side by side (samples repositories, per-provider installers such as `provider/aws` and `provider/baremetal`, per-environment trees) are alternatives and are not reported. ' +
      'Identical copies in one file are an info (applied twice, harmless but redundant); identical copies in different files are not reported. ' +
      'Two definitions in one render (a kustomize build, a chart) name each other by their source files, not by lines of the output. ' +
      "The API version is not part of the content compared (the identity has the group; the version is how the object is written): the same fields in two versions of a CRD are one object written twice, and other fields in another version are an info (a multi-version CRD's samples, such as kubebuilder's `config/samples`), as whether the two say the same after conversion is not known. " +
      'Objects read only from `--context` are never reported, but are named as the other definition when an input object duplicates one.',
    remediation:
      'Rename one of the objects, remove the redundant copy, or split alternatives into directories that are applied separately (or into kustomize overlays).',
    tags: ['correctness', 'cross-object'],
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    messages: {
      identicalInFile: {
        text: '{{identity}} is defined twice in this file with the same content (also at line {{line}}): it is applied twice; remove one copy.',
        severity: 'info',
      },
      differentInFile:
        '{{identity}} is defined twice in this file with different content (also at line {{line}}): kubectl apply applies both and this one silently replaces the other; merge them or rename one.',
      /** a Go testdata file: versions of one object (before and after a change) for a test to compare */
      differentInTestData: {
        text: "{{identity}} is defined twice in this file with different content (also at line {{line}}); the file is a test's data (a testdata directory), which may hold versions of one object on purpose (before and after a change); applied as one, this one replaces the other.",
        severity: 'info',
      },
      /** in one render (a kustomize build, a chart): the other is named by its source, not a line of the output */
      identicalInRender: {
        text: '{{identity}} is in {{render}} twice with the same content (also from {{where}}): it is applied twice; remove one copy.',
        severity: 'info',
      },
      differentInRender:
        '{{identity}} is in {{render}} twice with different content (also from {{where}}): applying it applies both and this one silently replaces the other; merge them or rename one.',
      /** the same object written in another API version: whether the two say the same after conversion is not known */
      otherVersion: {
        text: "{{identity}} is also defined as {{other}} at {{where}}, with other content: one object written in two API versions (a multi-version CRD's samples); applied together the later replaces the earlier, and whether the two say the same after conversion is not known here.",
        severity: 'info',
      },
      sameDirectory: {
        text: '{{identity}} is also defined, with different content, at {{where}} in the same directory: if the directory is applied as a whole (kubectl apply -f dir/), the later silently replaces the earlier; merge them or rename one (alternatives that are never applied together are fine).',
        severity: 'info',
      },
      elsewhere: {
        text: '{{identity}} is also defined, with different content, at {{where}}, in a directory that holds this one or below it: if the outer directory is applied recursively (kubectl apply -R -f) the later silently replaces the earlier; cross-object checks use the nearest definition.',
        severity: 'info',
      },
    },
    precision: 'high',
  },
  check(obj, ctx) {
    if (obj.kind === '' || obj.name === '' || obj.name.endsWith('*')) return; // generateName: a new object each time
    const index = ctx.index;
    // renders of other chart profiles and other kustomize overlays are alternatives, never applied together
    const same = index.sameIdentity(obj).filter((o) => !(o.render && obj.render && o.render !== obj.render));
    if (same.length < 2) return;
    // context objects count as earlier than every input object; input objects in input order: the first is not reported,
    // every later one is, naming the nearest earlier definition
    const ordered = [...same.filter((o) => index.isContext(o)), ...same.filter((o) => !index.isContext(o))];
    const pos = ordered.indexOf(obj);
    if (pos <= 0) return;
    const earlier = ordered.slice(0, pos);
    const mine = content(obj);
    const differing = earlier.filter((o) => content(o) !== mine);
    const identical = earlier.filter((o) => content(o) === mine);
    const identity = `${obj.kind}${obj.group ? `.${obj.group}` : ''} "${obj.name}"${isClusterScoped(obj.kind) ? '' : ` in namespace "${obj.namespace}"`}`;
    // an identical earlier copy: a conflict with other definitions is reported on that copy already
    if (identical.length > 0) {
      const inFile = identical.find((o) => o.file === obj.file);
      if (!inFile) return;
      if (obj.render)
        ctx.report({
          path: ['metadata', 'name'],
          messageId: 'identicalInRender',
          data: { identity, render: renderName(obj), where: whereIs(inFile) },
        });
      else
        ctx.report({
          path: ['metadata', 'name'],
          messageId: 'identicalInFile',
          data: { identity, line: inFile.rangeOf([]).range.line },
        });
      return;
    }
    // in directories side by side (samples, per-provider installs, per-environment trees) definitions are alternatives:
    // only one in a directory that holds the other's (`kubectl apply -R -f` of it applies both) may be applied with it
    const candidates = differing.filter((o) => rank(obj, o) < 2 || nested(dirOf(o), dirOf(obj)));
    if (candidates.length === 0) return;
    const nearest = [...candidates].sort((a, b) => rank(obj, a) - rank(obj, b))[0]!;
    const r = rank(obj, nearest);
    if (nearest.apiVersion !== obj.apiVersion) {
      ctx.report({
        path: ['metadata', 'name'],
        messageId: 'otherVersion',
        data: { identity, other: nearest.apiVersion, where: whereIs(nearest) },
      });
    } else if (r === 0 && obj.render) {
      ctx.report({
        path: ['metadata', 'name'],
        messageId: 'differentInRender',
        data: { identity, render: renderName(obj), where: whereIs(nearest) },
      });
    } else if (r === 0) {
      ctx.report({
        path: ['metadata', 'name'],
        messageId: isTestDataPath(obj.file.path) ? 'differentInTestData' : 'differentInFile',
        data: { identity, line: nearest.rangeOf([]).range.line },
      });
    } else if (r === 1) {
      // whether the directory is applied as a whole is not in the manifests (recipe and sample directories hold alternatives)
      ctx.report({
        path: ['metadata', 'name'],
        messageId: 'sameDirectory',
        data: { identity, where: whereIs(nearest) },
      });
    } else {
      ctx.report({
        path: ['metadata', 'name'],
        messageId: 'elsewhere',
        data: { identity, where: whereIs(nearest) },
      });
    }
  },
});

/** What a rendered object's render is, for messages. */
function renderName(o: MO): string {
  return isHelmRendered(o) ? "the chart's render" : 'this kustomize build';
}

/** Whether one directory holds the other (both real directories: stdin and renders have none). */
function nested(a: string, b: string): boolean {
  if (a === '' || b === '') return false;
  return b.startsWith(a + path.sep) || a.startsWith(b + path.sep);
}

/** 0: same file; 1: same directory; 2: elsewhere. */
function rank(a: MO, b: MO): number {
  if (a.file === b.file || a.file.absPath === b.file.absPath) return 0;
  return dirOf(a) === dirOf(b) ? 1 : 2;
}
