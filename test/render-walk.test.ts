/** The kustomization search of pre-commit mode (kustomizeTargetsOf): one readdir per directory, symbolic links followed once. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kustomizeTargetsOf } from '../src/render/index';
import { writeTree } from './helpers';

test('a changed base selects its overlay; a directory reached again through a link, a link loop and node_modules are not walked twice or at all', () => {
  const dir = writeTree({
    'k/base/kustomization.yaml': 'resources:\n- d.yaml\n',
    'k/base/d.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'k/overlay/kustomization.yaml': 'resources:\n- ../base\n',
    'node_modules/x/kustomization.yaml': 'resources:\n- ../../k/base/d.yaml\n',
    'ignored/kustomization.yaml': 'resources:\n- ../k/base/d.yaml\n',
    'other/Kustomization': 'resources:\n- ../k/base/d.yaml\n',
  });
  fs.symlinkSync(path.join(dir, 'k'), path.join(dir, 'link'));
  fs.symlinkSync(dir, path.join(dir, 'k', 'loop'));
  const abs = path.join(dir, 'k/base/d.yaml');
  const m = kustomizeTargetsOf([{ abs, display: 'k/base/d.yaml', explicit: true }], dir, (p) => p === path.join(dir, 'ignored'));
  expect(m.get(abs)).toEqual([path.join(dir, 'k/overlay'), path.join(dir, 'other')]);
});
