/**
 * image-tag and Skaffold (GoogleCloudPlatform/microservices-demo): `image: adservice` in a manifest that
 * skaffold.yaml builds as an artifact is replaced by `skaffold run` with the image it built, tagged; it is not a
 * moving tag the cluster gets. Only a Config in the manifest's directory or above it counts.
 */
import { lintPaths, only, writeTree } from './helpers';

const deploy = (name: string, image: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: server\n          image: ${image}\n`;

const SKAFFOLD = `apiVersion: skaffold/v4beta6
kind: Config
metadata:
  name: app
build:
  artifacts:
    - image: adservice
      context: src/adservice
manifests:
  rawYaml:
    - ./kubernetes-manifests/*.yaml
profiles:
  - name: debug
    build:
      artifacts:
        - image: registry.example.com/team/loadgenerator
          context: src/loadgenerator
`;

test('an image that a Skaffold Config in the directory or above builds is not a moving tag; other images still are', () => {
  const dir = writeTree({
    'skaffold.yaml': SKAFFOLD,
    'kubernetes-manifests/adservice.yaml': deploy('adservice', 'adservice'),
    'kubernetes-manifests/latest.yaml': deploy('latest', 'adservice:latest'),
    'kubernetes-manifests/loadgenerator.yaml': deploy('loadgenerator', 'registry.example.com/team/loadgenerator'),
    'kubernetes-manifests/redis.yaml': deploy('redis', 'redis'),
    // a Config in a sibling directory builds nothing for these manifests
    'other/skaffold.yaml': SKAFFOLD.replace('adservice', 'cartservice'),
    'kubernetes-manifests/cartservice.yaml': deploy('cartservice', 'cartservice'),
    // a Config of another group named Config is no Skaffold file
    'kubernetes-manifests/not-skaffold.yaml':
      'apiVersion: example.com/v1\nkind: Config\nmetadata:\n  name: x\nbuild:\n  artifacts:\n    - image: frontend\n',
    'kubernetes-manifests/frontend.yaml': deploy('frontend', 'frontend'),
  });
  const run = lintPaths([dir], { cwd: dir, rules: only('image-tag') });
  const got = run.results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.message.split(' of container')[0]}`)).sort();
  expect(got).toEqual([
    'kubernetes-manifests/cartservice.yaml:14 image "cartservice"',
    'kubernetes-manifests/frontend.yaml:14 image "frontend"',
    'kubernetes-manifests/redis.yaml:14 image "redis"',
  ]);
});
