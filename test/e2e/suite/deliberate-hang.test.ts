/** Never finishes; loaded only when E2E_DELIBERATE_HANG=1 (tests the runner's hard timeout). */
describe('deliberate hang', () => {
  it('never finishes (E2E_DELIBERATE_HANG=1)', function () {
    this.timeout(0);
    return new Promise<void>(() => undefined);
  });
});
