import { join } from 'node:path';
import ts from 'typescript';

/**
 * The console's browser modules are plain JavaScript served as written (no build step), typed
 * with JSDoc. This compiles them with src/console/assets/jsconfig.json so a wrong call fails here
 * rather than in a browser.
 */
it('type-checks the console\'s browser code', () => {
  const configPath = join(__dirname, '../../src/console/assets/jsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  expect(config.fileNames.length).toBeGreaterThan(5);
  const program = ts.createProgram(config.fileNames, config.options);
  const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  expect(problems).toEqual([]);
});
