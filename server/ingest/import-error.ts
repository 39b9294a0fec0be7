// The error an import fails with: its message is what the CLI prints and the import route answers; batchId names the
// import log row when the import got that far. In a module of its own so the parsers of every source (register files,
// statistical tables) can throw it without importing the import runner that calls them.
export class ImportError extends Error {
  constructor (message: string, public batchId?: number, public cancelled = false) { super(message) }
}
