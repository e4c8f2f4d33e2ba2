import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'contract/index': 'src/contract/index.ts',
    'testing/index': 'src/testing/index.ts',
    cli: 'src/cli.ts',
  },
  format: ['cjs', 'esm'],
  // stripInternal: members marked @internal (the stub's constructor and its per-transaction
  // plumbing, mock-peer internals) stay out of the published types, and with them the protobuf
  // message types they name: no third-party type may reach a consumer (type-compat.test.ts).
  dts: { compilerOptions: { stripInternal: true } },
  // No source maps in the package: they doubled dist/ for nothing a user runs (issue 9 footprint).
  sourcemap: false,
  clean: true,
  target: 'node18',
  splitting: true,
  // ESM output gets __filename: lazy createRequire of optional heavy modules (client-identity.ts) needs it.
  shims: true,
  // grpc-js and protobuf-es are bundled (tree-shaken, one file instead of ~130 modules to resolve):
  // require/start-up time and the installed footprint (grpc-js pulls in @grpc/proto-loader,
  // protobufjs and yargs, none of which we use) are issue 9 targets. grpc-js loads
  // @grpc/proto-loader only for its channelz/ORCA services, which we never register.
  noExternal: [/^@bufbuild\/protobuf/, /^@grpc\/grpc-js/, /^@js-sdsl\/ordered-map/],
  external: ['@grpc/proto-loader'],
  esbuildOptions(options, context) {
    // Bundled CommonJS code (grpc-js) calls require() for Node built-ins; ESM has no require.
    if (context.format === 'esm') {
      options.banner = {
        js: "import { createRequire as __shimCreateRequire } from 'node:module'; const require = __shimCreateRequire(import.meta.url);",
      };
    }
  },
});
