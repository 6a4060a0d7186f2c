import { isSubstitution } from './substitution';

describe('isSubstitution', () => {
  test.each([
    ['${IMAGE}', true],
    ['{{ .Values.name }}', true],
    ['FILESTORE_CAPACITY', true],
    ['{GATEWAY_CONTROLLER_NAME}', true],
    ['<insert-secret-here>', true],
    ['...base64 encoded data...', true],
    // a phrase of three or more words in capitals that says who fills it in
    ['FILLED BY THE OPERATOR', true],
    ['SET BY CI', true],
    // two capital words, a capital word alone, or a sentence in lower case: values, not placeholders
    ['US EAST', false],
    ['NGINX', false],
    ['filled by the operator', false],
    ['FILLED BY the operator', false],
    ['api-config', false],
  ])('%s → %s', (v, want) => {
    expect(isSubstitution(v)).toBe(want);
  });
});
