// Node options the language server is started with (by the VS Code client and the tests).
// A small young generation keeps resident memory lower with a large folder open (bench/lsp.ts:
// ≈90 MB instead of ≈103 MB with 120 configs open) for slightly more frequent, cheap scavenges.
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=2'];
