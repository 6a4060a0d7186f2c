import { createRule } from '../../src/engine/rule.js';

export default createRule({
  meta: {
    id: 'non-manifest-file',
    severity: 'info',
    category: 'syntax',
    description:
      'A YAML or JSON file that is empty, or in which no document has a kind with an apiVersion or metadata, or an apiVersion with metadata, is not linted, with a note.',
    rationale:
      "Repositories keep other YAML and JSON beside their manifests: CI workflows, Helm values, docker-compose files, package.json. Reporting every one of them as a broken Kubernetes object would bury real findings, and skipping them silently would hide a manifest that lost its header. k8s-gold reads such a file, finds no document with `kind` (a `kind` that is a mapping or a list is a key of some other format), or with a string `apiVersion` and `metadata` (Grafana provisioning files carry `apiVersion: 1`, a Helm repository index `apiVersion: v1` and `entries`, neither has `kind` or `metadata`), and says that it did not lint it. A document with a kind and metadata but no apiVersion counts as a manifest that lost its apiVersion only when its kind is a Kubernetes kind; with another kind (kops' channel files: `kind: Addons`) it is another tool's file. So is a document that writes apiVersion in another case (`apiversion`) with an API group that is no Kubernetes group (operator-sdk's scorecard configuration, which its tool reads in any case); on a Kubernetes object the key in the wrong case is an `invalid-object` error. A file in which at least one document has `apiVersion` or `kind` is linted in full, and its other documents are reported by `invalid-object`. A file that does not parse and in which neither `kind` nor `apiVersion` appears as a key (JSON-lines data, JSON with comments such as `devcontainer.json`, a template kept beside the manifests, another tool's YAML such as a KEP's `kep.yaml`), which fixed would still hold no Kubernetes object, gets the same note instead of a `yaml-syntax` error (input the reader refuses, too deep or an alias bomb, stays an error), and so does a template that only its `{{ }}` placeholders keep from parsing and that, with them filled in, holds no Kubernetes object (Helm values with `{{.Tag}}` and manifests embedded under some key); an empty file, or one with only comments, gets a note too, and so does a chart or kustomization that renders no object. " +
      "Test-harness files are not linted either, with a note: a file that a chainsaw Test (`chainsaw.kyverno.io` kind Test) of the input names in an `assert` or `error` operation, or a file named as KUTTL names its assertions (`<step>-assert.yaml`, `<step>-errors.yaml`), holds the fields a test compares with the cluster (no required field, often `status`), not an object to apply; a file of a chainsaw `patch`, or of an `apply` of objects that an earlier operation of the same Test applied or created (chainsaw merges such an apply into the object), is merged into an object that exists, and one that an `apply` or `create` expects to fail (`($error != null): true`) is invalid on purpose. So is a file whose every object is the data of an API round-trip test (k8s.io/apimachinery's compatibility fixtures, `testdata/HEAD/<group>.<version>.<Kind>.yaml`, which fill every field with a value named after it: `name: nameValue`, `uid: uidValue`), and a `delete.yaml` (or `<step>-delete.yaml`) that names some objects by their identity alone (apiVersion, kind, metadata: calico's test data for `calicoctl delete -f`), a list of what to delete. Their syntax findings stay." +
      'So is a patch outside any kustomization: a file whose name says patch (`sidecar-patch.yaml` for `kubectl patch --patch-file`, `policy.patch.yaml`) with an object that lacks what an object of its kind needs (a Deployment without `selector` or `template`, a custom resource without the required fields of its CustomResourceDefinition); a file so named whose objects are complete, or of kinds whose needs are not known, is linted.',
    remediation:
      'If the file is not a manifest, add it to `ignorePatterns` in `.k8s-gold.yaml` (or pass `--ignore-pattern`) to silence the note. If it is a manifest, add the missing `apiVersion` and `kind`. To make the note fail a run, set `non-manifest-file: error`.',
    tags: ['syntax'],
    messages: {
      notManifest:
        "no document in this file has a kind with an apiVersion or metadata, or an apiVersion with metadata, so it is not a Kubernetes manifest (a tool's configuration may have a kind alone, as kube-state-metrics' CustomResourceStateMetrics does) and was not linted; add an ignore pattern to silence this note",
      /** kind and metadata but no apiVersion, and a kind no Kubernetes release serves: another tool's file */
      toolKind:
        "its documents have no apiVersion, and their kind {{kind}} with metadata is no Kubernetes kind, so it is another tool's file in the manifests' shape (kops' channel Addons), not a Kubernetes manifest, and was not linted; add the apiVersion if it is a custom resource, or an ignore pattern to silence this note",
      notParsedData:
        'not valid {{format}} ({{message}}), and no kind or apiVersion appears in the file, so it is data or a template, not a Kubernetes manifest, and was not linted; add an ignore pattern to silence this note',
      templateOfNoManifest:
        'not valid {{format}} ({{message}}) because of its template placeholders, and with them filled in no document is a Kubernetes object (its kind and apiVersion keys belong to objects embedded deeper down), so it is a template of some other file, such as Helm values, and was not linted; add an ignore pattern to silence this note',
      foreignApiVersion:
        "its documents write apiVersion as {{key}}, of API group {{group}}, which is no Kubernetes group: Kubernetes reads keys case-sensitively, so this is another tool's configuration (operator-sdk's scorecard reads keys in any case), not a Kubernetes manifest, and was not linted; add an ignore pattern to silence this note",
      renderedNothing:
        'the render produced no Kubernetes object (every template or resource is empty or switched off), so there was nothing to lint; check the values or the resources it lists',
      testAssertion: {
        text: 'this file is {{what}}, not an object to apply as it is, so its documents were not linted',
        severity: 'info',
      },
      empty:
        'the file holds no YAML document (it is empty or only comments), so there was nothing to lint; add an ignore pattern to silence this note',
    },
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
