import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from 'node:util';
import { usageError } from './usage-error.ts';

function errorOf(args: string[]): unknown {
  try {
    parseArgs({ args, allowPositionals: true, options: { since: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (err) {
    return err;
  }
  return undefined;
}

test('parseArgs errors become one clean line with balanced quotes', () => {
  assert.equal(usageError('analyze', errorOf(['--bogus', 'x'])), 'analyze: unknown option --bogus (see fivexx analyze --help)');
  assert.equal(usageError('analyze', errorOf(['--since'])), 'analyze: option --since needs a value (see fivexx analyze --help)');
  assert.equal(usageError('analyze', errorOf(['--json=1'])), 'analyze: option --json takes no value (see fivexx analyze --help)');
  assert.equal(usageError('analyze', errorOf(['--\u001b[31m'])), 'analyze: unknown option --\\x1b[31m (see fivexx analyze --help)');
});
