/**
 * SOPS-encrypted manifests (getsops/sops; Flux's kustomize-controller, helm-secrets and ksops decrypt them before
 * the API server sees them): the file in the repository holds `ENC[AES256_GCM,data:…,type:…]` in place of the
 * values it encrypts and a top-level `sops` block (keys, `lastmodified`, `mac`, `version`). What the cluster gets
 * is the decrypted object, without that block; an encrypted value's type and content are not known here.
 */
import { isObj, own } from './object.js';
import type { Path } from '../parse/source.js';

/** Whether an object's data is a SOPS-encrypted document: a `sops` mapping with its `mac` and `version` or `lastmodified`. */
export function isSopsEncrypted(data: unknown): boolean {
  if (!isObj(data)) return false;
  const sops = own(data, 'sops');
  return (
    isObj(sops) && typeof own(sops, 'mac') === 'string' && (own(sops, 'version') !== undefined || own(sops, 'lastmodified') !== undefined)
  );
}

/** Whether a value is one SOPS encrypted (`ENC[AES256_GCM,data:…]`). */
export function isSopsValue(v: unknown): boolean {
  return typeof v === 'string' && v.startsWith('ENC[') && v.endsWith(']');
}

/**
 * Whether a path of a SOPS-encrypted document is about what decryption changes: the `sops` block (gone once
 * decrypted) or an encrypted value (or a place on the way to one, where the walk stops at it).
 */
export function sopsHides(data: unknown, path: Path): boolean {
  if (path[0] === 'sops') return true;
  let v: unknown = data;
  for (const seg of path) {
    if (isSopsValue(v)) return true;
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isObj(v) && typeof seg === 'string') v = own(v, seg);
    else return false;
  }
  return isSopsValue(v);
}
