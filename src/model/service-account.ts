/**
 * The service account a pod template runs as: `serviceAccountName`, else the
 * deprecated `serviceAccount` alias, else `default`; with the path of the
 * field that names it (or of the pod spec when none does).
 */
import type { PathSeg } from '../parse/source.js';
import type { PodTemplate } from './workload.js';

export interface PodServiceAccount {
  name: string;
  /** the field that names it, or undefined when the pod names none */
  field: 'serviceAccountName' | 'serviceAccount' | undefined;
  /** path to that field, else to the pod spec */
  path: PathSeg[];
}

export function podServiceAccount(tpl: PodTemplate): PodServiceAccount {
  for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
    const v = tpl.spec[field];
    if (typeof v === 'string' && v !== '') return { name: v, field, path: [...tpl.specPath, field] };
  }
  return { name: 'default', field: undefined, path: tpl.specPath };
}
