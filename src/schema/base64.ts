/**
 * The `byte` format (base64) as the API server reads it: Go's encoding/json decodes a `[]byte` field with
 * base64.StdEncoding, which skips `\r` and `\n`, so line-wrapped base64 (what kustomize writes for a binary file in
 * a configMapGenerator, what `base64` prints without -w0) is valid. @kubernetes-models/validate's own check
 * (BASE64_RE, the same regular expression) rejects any line break.
 */

/** @kubernetes-models/validate's `byte` format (test/schema-fast.test.ts compares it with the package's). */
export const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Valid base64 for the API server: the package's check, after dropping line breaks. */
export function isApiBase64(s: string): boolean {
  if (BASE64_RE.test(s)) return true;
  return (s.includes('\n') || s.includes('\r')) && BASE64_RE.test(s.replace(/[\r\n]/g, ''));
}
