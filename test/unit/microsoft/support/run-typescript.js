/*
 * Runs a TypeScript file in a plain `node` process: `node run-typescript.js <file.ts>`.
 *
 * Why a second process at all: Node reads NODE_EXTRA_CA_CERTS once, at start, and global fetch
 * (which msal-node and GraphClient use) offers no other way to trust a CA. The fake Microsoft
 * generates its CA when a test starts, so the product code under test runs in a child started
 * with that variable, exactly as the real server does. ts-node is not installed, so .ts files
 * are transpiled on require with the TypeScript compiler the project already has.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      inlineSourceMap: true,
    },
  });
  module._compile(outputText, filename);
};

require(path.resolve(process.argv[2]));
