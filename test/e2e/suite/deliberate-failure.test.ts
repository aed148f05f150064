/** Fails on purpose; loaded only when E2E_DELIBERATE_FAILURE=1 (the runner's own test). */
import assert from 'node:assert/strict';

describe('deliberate failure', () => {
  it('fails on purpose (E2E_DELIBERATE_FAILURE=1)', () => {
    assert.equal('the runner passes a failure through', 'a test that passes');
  });
});
