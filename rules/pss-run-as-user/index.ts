import { pssRule } from '../../src/pss/rule.js';

export default pssRule('pss-run-as-user', {
  description:
    'Pod Security restricted "Running as Non-root user" (policy 1.23+): `runAsUser` must not be 0 at pod or container level; from 1.35 pods with `spec.hostUsers: false` are exempt.',
  rationale: 'UID 0 is root; the check forbids it explicitly, at either level, whatever the other level says.',
  remediation: "Set `runAsUser` to a non-zero UID (or remove it and let the image's non-root user apply, with `runAsNonRoot: true`).",
});
