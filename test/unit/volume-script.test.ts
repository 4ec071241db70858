import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedScript, RECHECK_EVERY } from '../../ingest/volume-script.ts';

test('the script of the last two pages read is expected next, except on every tenth page', () => {
  assert.equal(expectedScript([], 2), null);
  assert.equal(expectedScript(['chi_tra'], 2), null, 'one page says little');
  assert.equal(expectedScript(['chi_tra', 'chi_tra'], 3), 'chi_tra');
  assert.equal(expectedScript(['chi_sim', 'chi_tra', 'chi_tra'], 4), 'chi_tra');
  assert.equal(expectedScript(['chi_tra', 'chi_sim'], 4), null, 'the volume changed script: decide again');
  assert.equal(expectedScript(['chi_sim', 'chi_sim'], 1), null, 'the first page is always decided on its own');
  assert.equal(expectedScript(['chi_sim', 'chi_sim'], RECHECK_EVERY + 1), null);
  assert.equal(expectedScript(['chi_sim', 'chi_sim'], RECHECK_EVERY + 2), 'chi_sim');
});
