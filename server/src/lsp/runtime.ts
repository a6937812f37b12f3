// Node options the language server is started with. A small young generation keeps the
// server's resident memory low (≈75 MB instead of ≈100 MB with a 120-file folder open) at the
// price of more, cheaper scavenges; bench/lsp.ts measures both latency and memory with these.
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=2'];
