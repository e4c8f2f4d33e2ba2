import { loadPackage, tryLoadPackage } from '../src/optional-module';

describe('optional packages', () => {
  it('loads an installed package', () => {
    expect(typeof loadPackage<{ Query: unknown }>('mingo', 'rich queries').Query).toBe('function');
  });

  it('names the missing package, how to install it and what needs it', () => {
    expect(() => loadPackage('fabric-shim-ts-no-such-package', "the mock peer's rich queries")).toThrow(
      expect.objectContaining({
        code: 'CONFIG',
        message: expect.stringMatching(
          /^the mock peer's rich queries needs the package 'fabric-shim-ts-no-such-package' \(npm install fabric-shim-ts-no-such-package\)/,
        ),
      }),
    );
  });

  it('tryLoadPackage returns undefined for a missing package (optional peer dependencies)', () => {
    expect(tryLoadPackage('fabric-shim-ts-no-such-package')).toBeUndefined();
  });
});
