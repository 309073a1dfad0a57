// Kubernetes CRI log lines (containerd, CRI-O: /var/log/pods/…): `<RFC 3339 time> <stdout|stderr> <F|P> <text>`;
// `P` marks a partial line continued by the next one. Written from the CRI logging format
// (kubernetes/design-proposals kubelet-cri-logging.md); no cluster runs here.
import type { Wrapper } from './types.ts';

const CRI = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}) (?:stdout|stderr) ([FP]) ?/;

export const cri: Wrapper = {
  name: 'cri',
  peel(line) {
    // Cheap gate: "dddd-dd-ddT" before the regex.
    if (line.charCodeAt(4) !== 45 || line.charCodeAt(10) !== 84) return undefined;
    const m = CRI.exec(line);
    return m ? { text: line.slice(m[0].length), partial: m[1] === 'P' } : undefined;
  },
};
