test('the core workspace runs under jest', () => {
  expect(1 + 1).toBe(2);
});
