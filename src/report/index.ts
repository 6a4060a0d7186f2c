import type { Formatter } from './types.js';

/** Built-in formatters, loaded on demand. */
export const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;

export function loadFormatter(name: string): Formatter | undefined {
  switch (name) {
    case 'stylish':
      return (require('./stylish.js') as typeof import('./stylish.js')).stylish;
    case 'json':
      return (require('./json.js') as typeof import('./json.js')).json;
    case 'sarif':
      return (require('./sarif.js') as typeof import('./sarif.js')).sarif;
    case 'github':
      return (require('./github.js') as typeof import('./github.js')).github;
    default:
      return undefined;
  }
}
