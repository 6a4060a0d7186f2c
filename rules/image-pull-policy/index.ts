import { defineRule } from '../../src/engine/rule.js';
import { containers } from '../../src/model/workload.js';
import { parseImage } from '../image-tag/index.js';

export default defineRule({
  meta: {
    id: 'image-pull-policy',
    severity: 'warning',
    category: 'reliability',
    description: 'Containers whose image is not pinned by digest should use `imagePullPolicy: Always`.',
    rationale:
      'A tag is a movable name. With `IfNotPresent` (the default for any tag but `latest`) a node that already has an image under that tag keeps running it, so after someone re-pushes the tag, pods on old nodes run the old build and pods on new nodes the new one, and nobody can tell from the manifest which code runs. ' +
      '`Always` makes the kubelet resolve the tag on every start (a cheap manifest request when the layers are cached). Pinning the digest makes the question moot. Teams that never re-push tags may prefer `IfNotPresent`, so the rule is not on by default.',
    remediation: 'Pin the image by digest (`app:1.4.2@sha256:…`, any pull policy is then fine), or set `imagePullPolicy: Always`.',
    tags: ['reliability', 'images'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { polaris: ['pullPolicyNotAlways'], 'kube-score': ['Container Image Pull Policy'], checkov: ['CKV_K8S_15'] },
    messages: {
      explicit:
        'container "{{container}}" of {{kind}} {{name}} pulls the mutable tag {{image}} with imagePullPolicy: {{policy}}, so nodes keep whatever build they pulled first; set imagePullPolicy: Always or pin the digest.',
      never:
        'container "{{container}}" of {{kind}} {{name}} runs the mutable tag {{image}} with imagePullPolicy: Never, so each node runs whatever build was loaded onto it under that tag; pin the digest, or use Always once the image is in a registry.',
      implicit:
        'container "{{container}}" of {{kind}} {{name}} pulls the mutable tag {{image}} with the default imagePullPolicy IfNotPresent, so nodes keep whatever build they pulled first; set imagePullPolicy: Always or pin the digest.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
  },
  check(obj, ctx) {
    for (const c of containers(obj)) {
      const image = c.container.image;
      if (typeof image !== 'string' || image === '') continue;
      const ref = parseImage(image);
      if (ref.digest !== undefined) continue;
      const policy = c.container.imagePullPolicy;
      const data = { container: c.name, kind: obj.kind, name: obj.name, image, policy: String(policy) };
      if (typeof policy === 'string') {
        // Never pulls nothing: the node has the image (preloaded, `kind load`), so "pulls" would be wrong
        if (policy !== 'Always')
          ctx.report({ path: [...c.path, 'imagePullPolicy'], messageId: policy === 'Never' ? 'never' : 'explicit', data });
      } else if (ref.tag !== undefined && ref.tag !== 'latest') {
        // no tag or :latest defaults to Always
        ctx.report({ path: [...c.path, 'image'], messageId: 'implicit', data });
      }
    }
  },
});
