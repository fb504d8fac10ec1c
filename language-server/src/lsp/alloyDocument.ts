/** An open `.alloy` document and its parse, computed once per version. */
import { parse, type ParseResult } from "../alloy";

export class AlloyDocument {
  private parsed: ParseResult | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
  ) {}

  get parse(): ParseResult {
    this.parsed ??= parse(this.text, this.uri);
    return this.parsed;
  }
}

/** Open documents by URI; a new version replaces the old parse. */
export class AlloyDocuments {
  private readonly byUri = new Map<string, AlloyDocument>();

  get(uri: string, version: number, text: () => string): AlloyDocument {
    let doc = this.byUri.get(uri);
    if (doc === undefined || doc.version !== version) {
      doc = new AlloyDocument(uri, version, text());
      this.byUri.set(uri, doc);
    }
    return doc;
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }
}
