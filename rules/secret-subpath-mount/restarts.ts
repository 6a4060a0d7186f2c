/** What restarts a workload's pods when the data it mounts changes: a reloader's annotations, or a chart's checksums. */
import { isObj, own, type ManifestObject, type Obj } from '../../src/model/object.js';

/**
 * The workload asks a reloader to restart its pods when this ConfigMap or Secret changes:
 * Stakater Reloader (`reloader.stakater.com/auto: "true"`, `configmap.reloader.stakater.com/reload: a,b`,
 * `secret.reloader.stakater.com/reload: a,b`) or Wave (`wave.pusher.com/update-on-config-change: "true"`),
 * on the workload's own metadata, where both controllers read them.
 */
export function reloadedOnChange(obj: ManifestObject<Obj>, type: 'secret' | 'configMap', name: string | undefined): boolean {
  const meta = own(obj.data, 'metadata');
  const ann = isObj(meta) ? own(meta, 'annotations') : undefined;
  if (!isObj(ann)) return false;
  const yes = (k: string): boolean => String(own(ann, k)).toLowerCase() === 'true';
  if (yes('reloader.stakater.com/auto') || yes('wave.pusher.com/update-on-config-change')) return true;
  if (yes(`${type === 'secret' ? 'secret' : 'configmap'}.reloader.stakater.com/auto`)) return true;
  const list = own(ann, `${type === 'secret' ? 'secret' : 'configmap'}.reloader.stakater.com/reload`);
  return name !== undefined && typeof list === 'string' && list.split(',').some((n) => n.trim() === name);
}

/**
 * The pod template carries a chart's `checksum/...` annotations (a hash of rendered configuration): a change made
 * through the chart rolls the pods. Which ConfigMaps or Secrets the hashes cover the rendered object does not say.
 */
export function checksummed(tplMeta: Obj | undefined): boolean {
  const ann = tplMeta ? own(tplMeta, 'annotations') : undefined;
  return isObj(ann) && Object.keys(ann).some((k) => k.startsWith('checksum/'));
}

/** A Job, a CronJob, or a Pod that is not restarted (restartPolicy Never or OnFailure): each run starts a new pod. */
export function runsToCompletion(obj: ManifestObject<Obj>): boolean {
  if (obj.kind === 'Job' || obj.kind === 'CronJob') return true;
  const spec = obj.kind === 'Pod' ? own(obj.data, 'spec') : undefined;
  const policy = isObj(spec) ? own(spec, 'restartPolicy') : undefined;
  return policy === 'Never' || policy === 'OnFailure';
}
