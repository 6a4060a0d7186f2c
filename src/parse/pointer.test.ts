/**
 * toPointer builds a finding's JSON Pointer (RFC 6901) in one piece; with a second path it must give what the
 * pointer of the joined paths gives, and the reference here is the segment-by-segment definition.
 */
import fc from 'fast-check';
import { toPointer, type PathSeg } from './source';

function reference(path: readonly PathSeg[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

describe('toPointer', () => {
  test('escapes ~ and / in keys, prints indexes, and the empty path is the whole document', () => {
    expect(toPointer([])).toBe('');
    expect(toPointer([], [])).toBe('');
    expect(toPointer(['spec', 'containers', 0, 'image'])).toBe('/spec/containers/0/image');
    expect(toPointer(['metadata', 'annotations', 'a/b~c'])).toBe('/metadata/annotations/a~1b~0c');
    expect(toPointer(['~1', '', '/'])).toBe('/~01//~1');
    expect(toPointer(['items', 3], ['x', 1])).toBe('/items/3/x/1');
    expect(toPointer(['items', 0], [])).toBe('/items/0');
    expect(toPointer([], ['items', 0])).toBe('/items/0');
  });

  test('matches the definition, for one path and for two', () => {
    const seg = fc.oneof(fc.string({ unit: fc.constantFrom('a', '~', '/', '0', '1', 'é') }), fc.nat(20));
    fc.assert(
      fc.property(fc.array(seg), fc.array(seg), (base, path) => {
        expect(toPointer(path)).toBe(reference(path));
        expect(toPointer(base, path)).toBe(reference([...base, ...path]));
      }),
    );
  });
});
