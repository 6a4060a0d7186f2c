/** Messages and boundaries from the real-world precision pass (issue 10, parts 5-8) that fixtures cannot express. */
import { lintText, only } from './helpers';

function msgs(id: string, text: string): { line: number; level: string; message: string }[] {
  const r = lintText(text, { rules: only(id) });
  expect(r.internalErrors).toEqual([]);
  return r.results.flatMap((x) => x.messages).filter((m) => m.ruleId === id).map((m) => ({ line: m.line, level: m.level, message: m.message }));
}

describe('image-tag: the moving-tag harm fits the kind', () => {
  const spec = (kind: string, apiVersion: string, podSpec: string): string => {
    const c = '    containers:\n      - name: app\n        image: nginx:latest\n';
    if (kind === 'Pod') return `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${c.replace(/^ {2}/gm, '')}`;
    return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  ${podSpec}template:\n    spec:\n${c.replace(/^/gm, '  ')}`;
  };
  test('a bare Pod says nothing of replicas or rollbacks', () => {
    const [m] = msgs('image-tag', spec('Pod', 'v1', ''));
    expect(m!.message).not.toMatch(/replicas|rollback/);
    expect(m!.message).toContain('a re-created pod (or a restarted container) may pull a different build');
  });
  test('a Deployment keeps replicas and rollbacks', () => {
    const [m] = msgs('image-tag', spec('Deployment', 'apps/v1', ''));
    expect(m!.message).toContain('replicas can run different builds and rollbacks do not roll back');
  });
  test('a Job speaks of runs', () => {
    const [m] = msgs('image-tag', spec('Job', 'batch/v1', ''));
    expect(m!.message).toContain('each run (and each retried pod) may pull a different build');
    expect(m!.message).not.toMatch(/rollback/);
  });
  test('a ReplicaSet has replicas but no rollbacks', () => {
    const [m] = msgs('image-tag', spec('ReplicaSet', 'apps/v1', ''));
    expect(m!.message).toContain('replicas can run different builds;');
  });
});
