// Turns a failed file-system read into the reason an `unavailable` entry gives (permission denied, not there…).

export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'not present';
    case 'ENOTDIR':
      return 'not a folder';
    case 'ELOOP':
      return 'a symbolic link loop';
    default:
      return code ? `cannot read (${code})` : `cannot read (${(err as Error | undefined)?.message ?? String(err)})`;
  }
}

export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
