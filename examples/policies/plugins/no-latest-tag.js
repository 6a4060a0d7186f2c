// A plugin: a CommonJS module exporting rules with the built-in rule API
// ({ meta, check }; see src/engine/rule.ts). Export one rule or an array.
'use strict';

const WORKLOADS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

function podSpecPath(kind) {
  if (kind === 'Pod') return ['spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return ['spec', 'template', 'spec'];
}

function at(value, path) {
  for (const k of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[k];
  }
  return value;
}

module.exports = {
  meta: {
    id: 'acme/no-latest-tag',
    severity: 'warning',
    category: 'reliability',
    description: 'Container images must name a tag other than latest, or a digest.',
    rationale: 'An image without a tag, or tagged `latest`, changes under you: two pods of the same Deployment can run different code, and a rollback does not roll back.',
    remediation: 'Pin the image to a version tag (`nginx:1.27.3`) or a digest (`nginx@sha256:…`).',
    tags: ['reliability'],
    defaultOptions: {},
    kinds: WORKLOADS,
  },
  check(obj, ctx) {
    const specPath = podSpecPath(obj.kind);
    const spec = at(obj.data, specPath);
    for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
      const list = spec && spec[field];
      if (!Array.isArray(list)) continue;
      list.forEach((c, i) => {
        const image = c && typeof c.image === 'string' ? c.image : undefined;
        if (!image || image.includes('@')) return;
        const tag = /:([^/:]+)$/.exec(image);
        if (!tag || tag[1] === 'latest') {
          ctx.report({
            path: [...specPath, field, i, 'image'],
            message: `image "${image}" ${tag ? 'uses the latest tag' : 'has no tag'}; pin a version or a digest so every pod runs the same code`,
          });
        }
      });
    }
  },
};
