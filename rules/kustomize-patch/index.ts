import { createRule } from '../../src/engine/rule.js';

export default createRule({
  meta: {
    id: 'kustomize-patch',
    severity: 'info',
    category: 'syntax',
    description:
      'Files a kustomization uses as patches or as configuration of its transformers are not linted as objects, with one note per kustomization.',
    rationale:
      'A kustomize tree holds more than manifests: strategic-merge and JSON patches are partial objects merged into resources (a Deployment patch has no selector and no image), and transformer, generator, replacement and field configurations are read by kustomize itself. Linted as objects, they give schema, probe, privilege and selector findings about objects that are never applied. ' +
      'k8s-gold reads every kustomization in the input and the context (`patches`, `patchesStrategicMerge`, `patchesJson6902`, `transformers`, `generators`, `validators`, `configurations`, `replacements`), does not lint the files they name as objects (syntax findings stay), and says so once on the kustomization. The ConfigMaps and Secrets of `configMapGenerator` and `secretGenerator` count as present, with the keys of their `literals`, `files` and `envs`, for `missing-references` and the other cross-object rules.',
    remediation:
      'To lint what kustomize produces, render the overlay and lint the output: `kubectl kustomize overlays/prod | k8s-gold lint -`. To silence the note, set `kustomize-patch: off`.',
    tags: ['kustomize'],
    messages: {
      notLinted:
        '{{count}} file(s) of this kustomization are not linted as objects: {{files}}. kustomize merges patches into resources and reads its configuration itself, so none of them is applied as it stands; render the overlay to lint the result: kubectl kustomize {{dir}} | k8s-gold lint -',
    },
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
