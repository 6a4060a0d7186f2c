/**
 * What the API server's validation rejects beyond the OpenAPI schema (the schema rule's `apiValidation` findings).
 */
import type { ManifestObject, Obj } from '../../src/model/object.js';
import { isObj } from '../../src/model/object.js';
import type { Path } from '../../src/parse/source.js';
import { containers, podTemplate } from '../../src/model/workload.js';
import { labelKeyProblems, labelValueProblems } from '../../src/util/selector.js';

/** IANA_SVC_NAME, as the API server validates a port name (container ports, a Service's named targetPort). */
const PORT_NAME_RE = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*$/;
function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'is longer than 15 characters (an IANA service name)';
  if (!PORT_NAME_RE.test(name))
    return 'is not an IANA service name (lowercase letters, digits and single hyphens, with at least one letter)';
  return undefined;
}
const JOB_KINDS = new Set(['Job', 'CronJob']);
const PLACEHOLDER = /\{\{|\$\{/;

/**
 * What the API server's validation rejects beyond the OpenAPI schema: label keys and values (of the
 * object and of its pod template), container port names (IANA service names, unique per container),
 * and a restartPolicy the kind does not allow (Jobs: OnFailure or Never, so an unset one, defaulted
 * to Always, is rejected; controllers of long-running pods: Always).
 */
export function apiValidation(obj: ManifestObject<Obj>): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  const labels = (l: unknown, base: Path): void => {
    if (!isObj(l)) return;
    for (const [k, v] of Object.entries(l)) {
      // an unrendered placeholder ({{x}}, ${X}) belongs to a file a script fills in before applying
      if (PLACEHOLDER.test(k) || (typeof v === 'string' && PLACEHOLDER.test(v))) continue;
      for (const p of labelKeyProblems(k))
        out.push({ path: [...base, k], message: `label key "${k}": ${p}; the API server rejects the object` });
      if (typeof v === 'string')
        for (const p of labelValueProblems(v))
          out.push({ path: [...base, k], message: `label ${k} value "${v}": ${p}; the API server rejects the object` });
    }
  };
  if (isObj(obj.data.metadata)) labels(obj.data.metadata.labels, ['metadata', 'labels']);
  if (obj.kind === 'Service' && obj.group === '' && isObj(obj.data.spec) && Array.isArray(obj.data.spec.ports)) {
    obj.data.spec.ports.forEach((port: unknown, i: number) => {
      if (!isObj(port)) return;
      const t = port.targetPort;
      const path: Path = ['spec', 'ports', i, 'targetPort'];
      // 0, like "", is defaulted to the port (SetDefaults_Service), not rejected
      if (typeof t === 'number' && t !== 0 && (t < 1 || t > 65535))
        out.push({ path, message: `targetPort ${t} is not a port number (1-65535); the API server rejects the Service` });
      else if (typeof t === 'string' && t !== '' && !PLACEHOLDER.test(t)) {
        const why = portNameProblem(t);
        if (why)
          out.push({
            path,
            message: `targetPort "${t}" is a port name (a quoted value is a name, not a number) and ${why}; the API server rejects the Service.${/^\d+$/.test(t) ? ` Write targetPort: ${t} unquoted` : ''}`,
          });
      }
    });
  }
  const tpl = podTemplate(obj);
  if (!tpl) return out;
  if (tpl.metadataPath.length > 1) labels(tpl.metadata.labels, [...tpl.metadataPath, 'labels']);
  for (const c of containers(obj, ['init', 'sidecar', 'regular'], tpl)) {
    const seen = new Set<string>();
    (Array.isArray(c.container.ports) ? c.container.ports : []).forEach((port: unknown, i: number) => {
      if (!isObj(port)) return;
      if (typeof port.containerPort === 'number' && (port.containerPort < 1 || port.containerPort > 65535)) {
        out.push({
          path: [...c.path, 'ports', i, 'containerPort'],
          message: `container "${c.name}": containerPort ${port.containerPort} is not a port number (1-65535); the API server rejects it`,
        });
      }
      if (typeof port.name !== 'string' || port.name === '' || PLACEHOLDER.test(port.name)) return;
      const path: Path = [...c.path, 'ports', i, 'name'];
      const why = portNameProblem(port.name);
      if (why) out.push({ path, message: `container "${c.name}": port name "${port.name}" ${why}; the API server rejects it` });
      if (seen.has(port.name))
        out.push({
          path,
          message: `container "${c.name}": port name "${port.name}" is used twice in this container; the API server rejects it (Duplicate value). Give each port its own name`,
        });
      seen.add(port.name);
    });
  }
  const policy = tpl.spec.restartPolicy;
  const where = [...tpl.specPath, 'restartPolicy'];
  if (JOB_KINDS.has(obj.kind)) {
    if (policy === undefined || policy === null)
      out.push({
        path: tpl.specPath,
        message: `the pod template of ${obj.kind} ${obj.name} sets no restartPolicy, which defaults to Always, and the API server rejects a Job's pods with Always; set restartPolicy: OnFailure or Never`,
      });
    else if (policy === 'Always')
      out.push({
        path: where,
        message: `${obj.kind} ${obj.name}: restartPolicy Always is not allowed for a Job's pods; the API server rejects it. Use OnFailure or Never`,
      });
  } else if (obj.kind !== 'Pod' && obj.kind !== 'PodTemplate' && typeof policy === 'string' && policy !== 'Always') {
    out.push({
      path: where,
      message: `${obj.kind} ${obj.name}: restartPolicy ${policy} is not allowed; the API server accepts only Always for a ${obj.kind}'s pods. Remove it or set Always`,
    });
  }
  return out;
}
