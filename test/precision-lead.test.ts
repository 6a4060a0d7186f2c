/** Findings whose evidence lies in another directory are info: held-out repositories showed them as alternatives. */
import { lintPaths, only, writeTree } from './helpers';

function findings(files: Record<string, string>, rule: string) {
  const dir = writeTree(files);
  return lintPaths([dir], { cwd: dir, rules: only(rule) })
    .results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.level}`))
    .sort();
}

const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: web:1.0.0
`;
const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 5
`;

test('replicas-with-hpa: an HPA beside the workload is a warning, one in an add-on directory an info', () => {
  expect(findings({ 'app/deploy.yaml': deploy, 'app/hpa.yaml': hpa }, 'replicas-with-hpa')).toEqual(['app/deploy.yaml:6 warning']);
  expect(findings({ 'complete/deploy.yaml': deploy, 'autoscaling/hpa.yaml': hpa }, 'replicas-with-hpa')).toEqual([
    'complete/deploy.yaml:6 info',
  ]);
});

const svc = (name: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: { app: ${name} }\n  ports: [{ port: 80 }]\n`;
const ing = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: web
      port: { number: 80 }
`;

test('ingress-backend: a missing Service is a warning when other Services sit beside the Ingress, an info when they are elsewhere', () => {
  expect(findings({ 'app/ing.yaml': ing, 'app/svc.yaml': svc('api') }, 'ingress-backend')).toEqual(['app/ing.yaml:8 warning']);
  expect(findings({ 'app/ing.yaml': ing, 'other/svc.yaml': svc('api') }, 'ingress-backend')).toEqual(['app/ing.yaml:8 info']);
});
