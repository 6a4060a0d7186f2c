import { defineRule } from '../../src/engine/rule.js';
import { containers } from '../../src/model/workload.js';
import { parseImage } from '../image-tag/index.js';

interface Options {
  registries: string[];
}

/** The registry and path an image is pulled from, as the container runtime resolves it: `docker.io/library/nginx`. */
export function imageLocation(image: string): string {
  const ref = parseImage(image);
  const registry = ref.registry ?? 'docker.io';
  const repo = ref.registry === undefined && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  return `${registry === 'index.docker.io' ? 'docker.io' : registry}/${repo}`;
}

function allowedBy(location: string, entry: string): boolean {
  const e = entry.replace(/\/+$/, '');
  return location === e || location.startsWith(e + '/');
}

export default defineRule<Options>({
  meta: {
    id: 'allowed-registries',
    severity: 'error',
    category: 'security',
    description: 'Container images must come from the registries (or registry paths) listed in the `registries` option.',
    rationale:
      "Images from arbitrary registries bypass what an organisation's own registry gives: vulnerability scanning, signature checks, a pull-through cache that survives Docker Hub rate limits and outages, and an audit of what runs. A typo-squatted public image (`ngnix`) runs whatever its author put there. " +
      "Which registries are trusted is an organisation's choice, so the rule does nothing until `registries` is configured.",
    remediation:
      'Mirror the image into an allowed registry and reference it there, or add the registry to `registries` if it is trusted. Entries match a registry host (`registry.example.com`) or a path prefix (`ghcr.io/acme`); Docker Hub images are `docker.io/library/nginx` and `docker.io/<org>/<name>`.',
    tags: ['security', 'images', 'policy'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: {},
    messages: {
      notAllowed:
        'container "{{container}}" of {{kind}} {{name}} pulls {{image}} from {{location}}, which is not in the allowed registries ({{allowed}}); mirror it into one of them.',
    },
    schema: {
      type: 'object',
      properties: {
        registries: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description:
            'Allowed registry hosts or path prefixes (e.g. registry.example.com, ghcr.io/acme, docker.io/library). Empty: the rule reports nothing.',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { registries: [] },
    precision: 'very-high',
    securitySeverity: 6.0,
  },
  check(obj, ctx) {
    const allowed = ctx.options.registries;
    if (allowed.length === 0) return;
    for (const c of containers(obj, ['init', 'sidecar', 'regular', 'ephemeral'])) {
      const image = c.container.image;
      if (typeof image !== 'string' || image === '' || /[{}$]/.test(image)) continue;
      const location = imageLocation(image);
      if (allowed.some((a) => allowedBy(location, a))) continue;
      ctx.report({
        path: [...c.path, 'image'],
        messageId: 'notAllowed',
        data: {
          container: c.name,
          kind: obj.kind,
          name: obj.name,
          image,
          location: location.slice(0, location.indexOf('/')),
          allowed: allowed.join(', '),
        },
      });
    }
  },
});
