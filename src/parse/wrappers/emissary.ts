// Emissary-ingress (Ambassador) prefixes Envoy's access lines with `ACCESS ` in its container output:
// `ACCESS [2024-04-25T17:51:55.294Z] "GET /backend/ HTTP/1.1" 200 - …` (as in elastic/integrations' envoyproxy test log).
import type { Wrapper } from './types.ts';

export const emissary: Wrapper = {
  name: 'emissary',
  peel: (line) => (line.startsWith('ACCESS [') ? { text: line.slice(7) } : undefined),
};
