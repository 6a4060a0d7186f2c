import { lintText, only } from '../../test/helpers';
import { parseImage } from './index';

const pod = (image: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`;
const messages = (text: string, options: Record<string, unknown>) =>
  lintText(text, { rules: only('image-tag'), config: { rules: { 'image-tag': ['warning', options] } } }).results.flatMap((r) => r.messages);

test('parseImage tells a registry port from a tag', () => {
  expect(parseImage('registry:5000/app')).toEqual({ registry: 'registry:5000', repository: 'app', tag: undefined, digest: undefined });
  expect(parseImage('registry:5000/app:1.2')).toEqual({ registry: 'registry:5000', repository: 'app', tag: '1.2', digest: undefined });
  expect(parseImage('library/nginx:1.2@sha256:ab')).toEqual({
    registry: undefined,
    repository: 'library/nginx',
    tag: '1.2',
    digest: 'sha256:ab',
  });
  expect(parseImage('localhost/app')).toEqual({ registry: 'localhost', repository: 'app', tag: undefined, digest: undefined });
});

test('requireDigest reports tag-only images and accepts digests', () => {
  const m = messages(pod('nginx:1.27.3'), { requireDigest: true });
  expect(m.map((x) => [x.ruleId, x.line, x.column])).toEqual([['image-tag', 8, 7]]);
  expect(m[0]!.message).toContain('pinned by tag only');
  expect(
    messages(pod('nginx:1.27.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'), { requireDigest: true }),
  ).toEqual([]);
});

test('allowLatest silences latest but not malformed references', () => {
  expect(messages(pod('nginx:latest'), { allowLatest: true })).toEqual([]);
  expect(messages(pod('NGINX'), { allowLatest: true }).map((x) => x.level)).toEqual(['error']);
});

test('the message names the registry port trap and the pull policy', () => {
  const m = messages(pod('registry:5000/app'), {});
  expect(m[0]!.message).toContain('"registry:5000" is a registry host and port, not a tag');
});
