/**
 * How the language server's process is started, shared by every launcher (the extension, the tests and the
 * benchmarks). V8's `--optimize-for-size` keeps the heap from growing far past what is live: with 200 open
 * files under continuous edits the server stays near 100 MB instead of 150–200 MB, at a few milliseconds
 * per edit (`npm run bench -- lsp`, `npm run soak`).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ["--optimize-for-size"];
