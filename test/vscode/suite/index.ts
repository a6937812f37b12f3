// The in-host suite's entry: VS Code (desktop via @vscode/test-electron, or code-server in the
// browser via test/e2e/run.ts) loads this module in the extension host and awaits run().
import Mocha from 'mocha';
import { registerExtensionTests } from './extension.test';
import { registerMemoryMapTests } from './memoryMap.test';
import { registerBoardTests } from './boards.test';
import { registerExplainTests } from './explain.test';
import { registerNewConfigTests } from './newConfig.test';
import { registerBuildTests } from './build.test';
import { registerDiffTests } from './diff.test';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'extension.test', mocha);
  registerExtensionTests();
  registerMemoryMapTests();
  registerBoardTests();
  registerExplainTests();
  registerNewConfigTests();
  registerBuildTests();
  registerDiffTests();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} in-host test(s) failed`)) : resolve()));
  });
}
