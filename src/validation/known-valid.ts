/**
 * Response bodies already found valid, per schema, by their exact bytes. A
 * body that serialises to bytes a client was already sent after a passing
 * check is the same JSON value, so the check is skipped: a repeated get or
 * list page costs one Set lookup instead of a full schema walk. Bounded by
 * total characters; when full it starts over.
 */
export class KnownValidBodies {
  private readonly bySchema = new Map<string, Set<string>>();
  private chars = 0;

  constructor(
    private readonly budgetChars = 32 * 1024 * 1024,
    private readonly largestChars = 4 * 1024 * 1024,
  ) {}

  has(schema: string, text: string): boolean {
    return this.bySchema.get(schema)?.has(text) ?? false;
  }

  add(schema: string, text: string): void {
    if (text.length > this.largestChars) return;
    if (this.chars + text.length > this.budgetChars) {
      this.bySchema.clear();
      this.chars = 0;
    }
    let known = this.bySchema.get(schema);
    if (!known) this.bySchema.set(schema, (known = new Set()));
    if (known.has(text)) return;
    known.add(text);
    this.chars += text.length;
  }
}
