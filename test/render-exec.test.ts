/** runAll: independent commands at once (bounded), results in job order whatever finishes first. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAll, renderConcurrency } from '../src/render/exec';

describe('runAll', () => {
  test('results come in job order, whichever finishes first', () => {
    const jobs = [0.6, 0.1, 0.3, 0].map((s, i) => ({ cmd: ['sh', '-c'], args: [`sleep ${s}; echo job${i}; echo err${i} >&2`], cwd: '/' }));
    expect(runAll(jobs, 4).map((x) => [x.ok, x.stdout, x.stderr])).toEqual(jobs.map((_, i) => [true, `job${i}\n`, `err${i}\n`]));
  });

  /** jobs that each leave a mark (removed at their end with `leave`), and report how many marks they saw (waiting up to 10 s for `want`) */
  const meet = (n: number, want: number, leave: boolean): { cmd: string[]; args: string[]; cwd: string }[] => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-runall-'));
    return Array.from({ length: n }, (_, i) => ({
      cmd: ['sh', '-c'],
      args: [
        `touch ${i}; k=0; while [ "$(ls | wc -l)" -lt ${want} ] && [ $k -lt 100 ]; do sleep 0.1; k=$((k+1)); done; ls | wc -l${leave ? `; rm ${i}` : ''}`,
      ],
      cwd: dir,
    }));
  };

  test('jobs run at the same time', () => {
    expect(runAll(meet(3, 3, false), 3).map((x) => x.stdout.trim())).toEqual(['3', '3', '3']);
  });

  test('never more than the limit at once', () => {
    // two run and meet, and end; the third runs alone (it waits for a second mark in vain)
    const r = runAll(meet(3, 2, true), 2).map((x) => Number(x.stdout.trim()));
    expect(Math.max(...r)).toBe(2);
  });

  test('a failing command and a missing one are reported as run() reports them', () => {
    const r = runAll(
      [
        { cmd: ['sh', '-c'], args: ['echo bad >&2; exit 3'], cwd: '/' },
        { cmd: ['/nonexistent/k8s-gold-helm'], args: [], cwd: '/' },
        { cmd: ['sh', '-c'], args: ['echo ok'], cwd: '/' },
      ],
      3,
    );
    expect(r).toEqual([
      { ok: false, stdout: '', stderr: 'bad\n' },
      { ok: false, stdout: '', stderr: '', startError: 'not found' },
      { ok: true, stdout: 'ok\n', stderr: '' },
    ]);
  });

  test('K8S_GOLD_RENDER_JOBS sets the bound; else the CPUs', () => {
    expect(renderConcurrency({ K8S_GOLD_RENDER_JOBS: '3' })).toBe(3);
    expect(renderConcurrency({})).toBeGreaterThanOrEqual(1);
  });
});
