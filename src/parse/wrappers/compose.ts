// `docker compose logs` (and docker-compose v1): each line is prefixed by the service or container name
// padded to a column, then `| ` ("nginx_1  | 10.0.0.1 - - […"). Docker is not available here: this follows
// the documented output of `docker compose logs` (with the erase-line escape it may write first) (https://docs.docker.com/reference/cli/docker/compose/logs/).
import type { Wrapper } from './types.ts';

const PREFIX = /^(?:\x1b\[[\d;]{0,12}[A-Za-z]){0,4}[A-Za-z0-9][\w.-]{0,99} {0,60}\| ?/;

export const compose: Wrapper = {
  name: 'compose',
  peel(line) {
    // Cheap gate: a "|" within the prefix's reach.
    if (line.lastIndexOf('|', 180) < 0) return undefined;
    const m = PREFIX.exec(line);
    return m ? { text: line.slice(m[0].length) } : undefined;
  },
};
