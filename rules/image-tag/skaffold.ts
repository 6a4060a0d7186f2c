/**
 * Images that Skaffold builds: a Skaffold `Config` (`apiVersion: skaffold/…`) names its artifacts
 * (`build.artifacts[].image`, also under `profiles[].build`), and `skaffold run`/`dev` replaces every manifest image
 * of that name with the image it built, tagged (`adservice` becomes `…/adservice:v1.2-3-gabc@sha256:…`). Such a
 * reference is a build-time input, like `ko://`, not a moving tag the cluster gets.
 */
import type { ObjectIndex } from '../../src/model/index.js';
import { distance } from '../../src/model/nearness.js';
import { isObj, type ManifestObject } from '../../src/model/object.js';

const built = new WeakMap<ObjectIndex, { config: ManifestObject<unknown>; images: Set<string> }[]>();

function artifactsOf(index: ObjectIndex): { config: ManifestObject<unknown>; images: Set<string> }[] {
  let list = built.get(index);
  if (list) return list;
  list = [];
  for (const config of index.list('Config')) {
    if (config.group !== 'skaffold' || !isObj(config.data)) continue;
    const images = new Set<string>();
    const add = (build: unknown): void => {
      if (!isObj(build) || !Array.isArray(build.artifacts)) return;
      for (const a of build.artifacts) if (isObj(a) && typeof a.image === 'string' && a.image !== '') images.add(a.image);
    };
    add(config.data.build);
    if (Array.isArray(config.data.profiles)) for (const p of config.data.profiles) if (isObj(p)) add(p.build);
    if (images.size > 0) list.push({ config, images });
  }
  built.set(index, list);
  return list;
}

/**
 * Whether a Skaffold Config of the input, in the manifest's directory or one above it, builds the image of this name
 * (the reference without its tag or digest).
 */
export function skaffoldBuilds(index: ObjectIndex, obj: ManifestObject<unknown>, name: string): boolean {
  return artifactsOf(index).some(({ config, images }) => {
    if (!images.has(name)) return false;
    const d = distance(obj, config);
    return d === 0 || (d - 1) % 10000 === 0;
  });
}
