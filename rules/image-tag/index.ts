import { defineRule, type ReportDescriptor } from '../../src/engine/rule.js';
import type { ObjectIndex } from '../../src/model/index.js';
import type { PathSeg } from '../../src/parse/source.js';
import { asString, isHelmRendered } from '../../src/model/object.js';
import { containers, type ContainerKind } from '../../src/model/workload.js';
import { skaffoldBuilds } from './skaffold.js';

interface Options {
  requireDigest: boolean;
  allowLatest: boolean;
}

export interface ImageRef {
  /** registry host (with port) if the reference names one */
  registry?: string;
  /** repository path without the registry */
  repository: string;
  tag?: string;
  digest?: string;
}

const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * Splits a container image reference as the distribution reference grammar
 * does: `[registry[:port]/]path[:tag][@digest]`. The tag is the part after the
 * last `:` that follows the last `/`, so `registry:5000/app` has no tag.
 */
export function parseImage(image: string): ImageRef {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || /[A-Z]/.test(first)) {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  return { registry, repository: rest, tag, digest };
}

/** Why the kubelet would reject the reference (InvalidImageName), or undefined. */
export function imageSyntaxProblem(image: string, ref: ImageRef): string | undefined {
  if (image.trim() !== image) return 'has leading or trailing whitespace';
  if (/\s/.test(image)) return 'contains whitespace';
  if (ref.repository === '') return 'has an empty repository name';
  const bad = ref.repository.split('/').find((c) => !PATH_COMPONENT_RE.test(c));
  if (bad !== undefined) {
    return /[A-Z]/.test(bad)
      ? `has upper-case letters in the repository name "${ref.repository}" (repository names must be lower case)`
      : `has an invalid repository path component "${bad}"`;
  }
  if (ref.tag !== undefined && !TAG_RE.test(ref.tag))
    return ref.tag === ''
      ? 'ends with ":" but has no tag'
      : `has an invalid tag "${ref.tag}" (tags are up to 128 letters, digits, "_", "." and "-", not starting with "." or "-")`;
  if (ref.digest !== undefined && !DIGEST_RE.test(ref.digest))
    return `has an invalid digest "${ref.digest}" (expected e.g. sha256: followed by 64 hex digits)`;
  return undefined;
}

const KINDS: readonly ContainerKind[] = ['init', 'sidecar', 'regular', 'ephemeral'];

/**
 * How a reference is filled in before deploy, when it clearly is a build-time
 * input rather than an image: `ko://` import paths (ko resolve), `$(VAR)` /
 * `${VAR}` (envsubst, kustomize vars, Makefiles), `{{ … }}` (Helm and other
 * Go templates). `undefined` for everything else.
 */
export function buildTimeReference(image: string): string | undefined {
  if (image.startsWith('ko://')) return 'ko';
  if (image.includes('$') || image.includes('{{')) return 'template';
  return undefined;
}

/**
 * A placeholder that a script replaces before deploy: an upper-case
 * identifier that reads as a variable (`IMAGE_PLACEHOLDER`, `CONTROLLER_IMG:TAG`, `IMAGE`; not a bare
 * `NGINX`, which may be a typo), a `<your-registry>` part or a `{IMAGE}` part (`sed -e "s|{IMAGE}|…|"`),
 * or a path part that names what to put there: `[YOUR ALIAS]`, `{Organization name}`, `YOUR_ALIAS`, `YOUR ID`, `MY_REGISTRY`
 * (dapr's e2e apps: `docker.io/YOUR_ALIAS/e2e-actorapp:dev`); a part such as `MyOrg` or `ACME` is not one.
 * Applied as is, the kubelet rejects it, so it gets an info note rather than
 * an InvalidImageName error.
 */
export function placeholderReference(image: string): boolean {
  // no form can match without a `<`, `{`, `[` or a capital (most images): no regular expression run
  if (!/[A-Z<{[]/.test(image)) return false;
  if (/<[^<>\s]+>|\{[A-Za-z_][A-Za-z0-9_.-]*\}/.test(image)) return true;
  // a phrase in capitals that says who fills it in (`FILLED BY THE OPERATOR`, NVIDIA's gpu-operator assets)
  if (/^[A-Z][A-Z0-9]*(?: [A-Z][A-Z0-9]*)+$/.test(image)) return true;
  const m = /^([A-Z][A-Z0-9_]*)(?::[A-Za-z0-9_.-]+)?$/.exec(image);
  // an upper-case word alone (NGINX) may be a typo: only identifiers that read as variables count
  if (m !== null) return m[1]!.includes('_') || /IMAGE|IMG|PLACEHOLDER|REPLACE|CHANGEME|TODO|TBD/.test(m[1]!);
  // the repository's parts: a tag may hold capitals (`:V1_2` is valid), so the last part ends at `:` or `@`
  const parts = image.split('/');
  parts[parts.length - 1] = parts[parts.length - 1]!.replace(/[:@].*$/, '');
  return parts.some(placeholderPart);
}

/** A path part of an image that names what goes there (see placeholderReference). */
function placeholderPart(part: string): boolean {
  return /^\[[^\]]+\]$|^\{[A-Za-z][^{}]*\}$|^(?:YOUR|MY)(?:[ _-][A-Z0-9]+)+$|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(part);
}

/** Why a moving tag hurts, in terms of the kind that runs it. */
function movingTagHarm(kind: string): string {
  switch (kind) {
    case 'Deployment':
    case 'DeploymentConfig':
    case 'StatefulSet':
    case 'DaemonSet':
      return 'replicas can run different builds and rollbacks do not roll back';
    case 'ReplicaSet':
    case 'ReplicationController':
      return 'replicas can run different builds';
    case 'Job':
    case 'CronJob':
      return 'each run (and each retried pod) may pull a different build';
    default:
      return 'a re-created pod (or a restarted container) may pull a different build and nothing records which one ran';
  }
}

export default defineRule<Options>({
  meta: {
    id: 'image-tag',
    hasSuggestions: true,
    severity: 'warning',
    category: 'reliability',
    description: 'Container images must be pinned to a fixed tag (not `latest` or no tag); optionally to a digest.',
    rationale:
      'An image without a tag means `:latest`, and `:latest` (like any moving tag) is resolved again every time a node pulls: two replicas of the same Deployment can run different code, a node restart or a reschedule silently upgrades a pod, and a rollback to the previous ReplicaSet rolls back nothing because the pod template did not change. ' +
      'Kubernetes also defaults `imagePullPolicy` to `Always` for `:latest`, so every pod start depends on the registry being reachable (rate limits, outages), while an explicit `IfNotPresent` keeps whatever stale `latest` each node happened to pull first. ' +
      'A reference the kubelet cannot parse (upper-case repository, empty tag, malformed digest) leaves the pod in `InvalidImageName` and is reported as an error.\n\n' +
      "References filled in at build or deploy time are not images yet and are not checked: `ko://` import paths (resolved by `ko`), `$(VAR)` and `${VAR}` (envsubst, kustomize vars, Makefiles) and `{{ … }}` (Helm and other Go templates), and an image that a Skaffold `Config` in the manifest's directory or above it builds (`build.artifacts[].image`, also in its profiles), which `skaffold run` replaces with the image it built, tagged. The image `controller:latest` of the kubebuilder and operator-sdk scaffold, which `make deploy IMG=…` replaces, and a placeholder such as `IMAGE_PLACEHOLDER`, `<your-image>`, `{IMAGE}`, a phrase in capitals (`FILLED BY THE OPERATOR`) or a path part `YOUR_ALIAS`, `[YOUR ALIAS]` or `{Organization name}` gets an info note, as does an image whose repository or tag a Helm chart's default values leave empty (`:latest`) (it fails as is, but is clearly meant to be replaced).",
    remediation:
      'Use an immutable version tag (`nginx:1.27.3`) or, better, a digest (`nginx:1.27.3@sha256:…`), and let your CD tooling bump it. A registry port is not a tag: `registry:5000/app` still needs `:1.2.3`. Set `requireDigest: true` to require digests everywhere.',
    tags: ['images', 'reliability', 'kube-linter', 'kube-score', 'polaris'],
    schema: {
      type: 'object',
      properties: {
        requireDigest: { type: 'boolean', description: 'Also report images that have a tag but no `@sha256:` digest.' },
        allowLatest: { type: 'boolean', description: 'Do not report `:latest` or untagged images (still reports malformed references).' },
      },
      additionalProperties: false,
    },
    defaultOptions: { requireDigest: false, allowLatest: false },
    appliesTo: ['PodSpecHolder'],
    messages: {
      placeholder: {
        text: 'image "{{image}}" of container "{{container}}" is a placeholder, presumably replaced before deploy; applied as is, the kubelet rejects it (InvalidImageName).',
        severity: 'info',
      },
      /** a chart rendered with its default values, which leave part of the image empty for the user to give */
      emptyFromValues: {
        text: 'image "{{image}}" of container "{{container}}" has an empty {{part}} with the chart\'s default values, which leave it for the user to give (--set, --values or a render profile); installed so, the kubelet rejects it (InvalidImageName). Give it a default, or make it required with `required`.',
        severity: 'info',
      },
      /** the image of kubebuilder's and operator-sdk's scaffold, which `make deploy IMG=…` replaces */
      scaffold: {
        text: 'image "{{image}}" of container "{{container}}" is the placeholder of the kubebuilder and operator-sdk scaffold (`IMG ?= controller:latest` in its Makefile), which `make deploy IMG=<registry>/<name>:<tag>` replaces (kustomize edit set image controller=…); applied as is, it runs only on a node where that image was built or loaded (kind load).',
        severity: 'info',
      },
      invalid: {
        text: 'image "{{image}}" of container "{{container}}" {{problem}}; the kubelet rejects it and the pod stays in InvalidImageName.',
        severity: 'error',
      },
      movingTag: 'image "{{image}}" of container "{{container}}" {{what}}{{pull}}; pin a version tag or digest (e.g. {{example}}:1.2.3).',
      noDigest:
        'image "{{image}}" of container "{{container}}" is pinned by tag only; tags can be moved, so pin the digest too ({{image}}@sha256:…).',
    },
    precision: 'very-high',
  },
  check(obj, ctx) {
    for (const c of containers(obj, KINDS)) {
      const image = asString(c.container.image);
      if (image === undefined || image === '') continue;
      if (buildTimeReference(image)) continue; // filled in before deploy (ko, envsubst, kustomize vars, helm)
      const ref = parseImage(image);
      const path = [...c.path, 'image'];
      if (placeholderReference(image)) {
        ctx.report({ path, messageId: 'placeholder', data: { image, container: c.name } });
        continue;
      }
      // a Helm chart whose default values leave the repository or tag empty: "{{ .Values.image.repository }}:{{ … }}"
      const empty = /^[:@]/.test(image) ? 'repository' : image.endsWith(':') ? 'tag' : undefined;
      if (empty && isHelmRendered(obj)) {
        ctx.report({ path, messageId: 'emptyFromValues', data: { image, container: c.name, part: empty } });
        continue;
      }
      const problem = imageSyntaxProblem(image, ref);
      if (problem) {
        ctx.report({ path, messageId: 'invalid', data: { image, container: c.name, problem }, ...repairSuggestion(image, ref, path) });
        continue;
      }
      if (ref.digest !== undefined) continue;
      // a Skaffold artifact: skaffold run replaces it with the image it built, tagged and pinned
      if (skaffoldBuilds(ctx.index, obj, imageName(ref))) continue;
      const policy = asString(c.container.imagePullPolicy);
      if (ref.tag === undefined || ref.tag === 'latest') {
        if (ctx.options.allowLatest) continue;
        // kubebuilder's and operator-sdk's scaffold (`IMG ?= controller:latest`): `make deploy IMG=…` sets the image
        if (ref.registry === undefined && ref.repository === 'controller') {
          ctx.report({ path, messageId: 'scaffold', data: { image, container: c.name } });
          continue;
        }
        const what =
          ref.tag === undefined
            ? `has no tag (so it means :latest)${ref.registry?.includes(':') ? `; "${ref.registry}" is a registry host and port, not a tag` : ''}`
            : 'uses the moving tag :latest';
        const pull =
          policy === 'IfNotPresent' || policy === 'Never'
            ? `, and with imagePullPolicy ${policy} each node keeps whichever latest it pulled first`
            : `, so ${movingTagHarm(obj.kind)}`;
        ctx.report({
          path,
          messageId: 'movingTag',
          data: { image, container: c.name, what, pull, example: image.replace(/:latest$/, '') },
          ...pinSuggestions(ctx.index, ref, path),
        });
        continue;
      }
      if (ctx.options.requireDigest) {
        ctx.report({ path, messageId: 'noDigest', data: { image, container: c.name } });
      }
    }
  },
});

function imageName(ref: ImageRef): string {
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}`;
}

/** Fixed tags of each image name used by the input's workloads, with the first place each is used; memoised per index. */
const pinnedTags = new WeakMap<ObjectIndex, Map<string, Map<string, string>>>();
function tagsInInput(index: ObjectIndex): Map<string, Map<string, string>> {
  let m = pinnedTags.get(index);
  if (m) return m;
  m = new Map();
  for (const o of index.workloads()) {
    for (const c of containers(o, KINDS)) {
      const image = asString(c.container.image);
      if (!image || buildTimeReference(image) || placeholderReference(image)) continue;
      const ref = parseImage(image);
      if (ref.tag === undefined || ref.tag === 'latest' || ref.digest !== undefined || imageSyntaxProblem(image, ref)) continue;
      const name = imageName(ref);
      let tags = m.get(name);
      if (!tags) m.set(name, (tags = new Map()));
      if (!tags.has(ref.tag)) tags.set(ref.tag, `container "${c.name}" of ${o.displayName}`);
    }
  }
  pinnedTags.set(index, m);
  return m;
}

/**
 * A digest cannot be known offline, so no fix: suggestions pin the tags the
 * same image has elsewhere in the input (up to three, sorted).
 */
function pinSuggestions(index: ObjectIndex, ref: ImageRef, path: PathSeg[]): Pick<ReportDescriptor, 'suggest'> {
  const tags = tagsInInput(index).get(imageName(ref));
  if (!tags || tags.size === 0) return {};
  const list = [...tags.keys()].sort().slice(0, 3);
  return {
    suggest: list.map((t) => ({
      desc: `Pin ${imageName(ref)}:${t} (the tag ${tags.get(t)!} uses)`,
      fix: (f) => f.set(path, `${imageName(ref)}:${t}`),
    })),
  };
}

/** The reference the kubelet would accept, when the problem is only whitespace around it or upper case in the repository. */
function repairSuggestion(image: string, ref: ImageRef, path: PathSeg[]): Pick<ReportDescriptor, 'suggest'> {
  let fixed: string | undefined;
  if (image.trim() !== image && image.trim() !== '') fixed = image.trim();
  else if (/[A-Z]/.test(ref.repository))
    fixed = `${ref.registry ? `${ref.registry.toLowerCase()}/` : ''}${ref.repository.toLowerCase()}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
  if (fixed === undefined || imageSyntaxProblem(fixed, parseImage(fixed))) return {};
  const to = fixed;
  return { suggest: [{ desc: `Use "${to}"`, fix: (f) => f.set(path, to) }] };
}
