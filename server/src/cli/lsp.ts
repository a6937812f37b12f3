// `jhcell lsp [--stdio]`: the language server for any LSP editor (Neovim, Emacs, Helix, …).
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from '../lsp/start';
import { parseArgs } from './args';

export async function run(args: string[]): Promise<number> {
  parseArgs(args, [], ['--stdio']);
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  startServer(connection);
  // The connection ends the process on `exit`; until then keep the command alive.
  await new Promise<never>(() => undefined);
  return 0;
}
