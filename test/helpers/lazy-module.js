// Jest stand-in for modules that @pulumi/pulumi loads at import time but only its closure serializer
// and automation API use (typescript, @npmcli/arborist, normalize-package-data: ~0.4 s per test
// file). The real module loads on first use, so nothing changes for code that needs it; this is the
// test-runner twin of lib/lazy-modules.ts, which jest's own module registry bypasses.
'use strict';
module.exports = function lazy(realPath) {
  let real;
  const load = () => (real ??= require(realPath));
  return new Proxy(
    {},
    {
      get: (_target, key) => (key === '__esModule' && !real ? true : load()[key]),
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        return d ? { ...d, configurable: true } : undefined;
      },
    },
  );
};
