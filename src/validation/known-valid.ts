/**
 * Characters all validation memos of a process may hold together. Every
 * responder (four providers, again in each test sandbox) has its own memo;
 * a budget per memo would let the total grow with the number of sandboxes,
 * so they share one, and when a body would not fit, every memo starts over.
 */
export class MemoBudget {
  private used = 0;
  private readonly members = new Set<WeakRef<KnownValidBodies>>();
  // a deleted sandbox's memos are collected with its routers; drop their references too
  private readonly collected = new FinalizationRegistry<WeakRef<KnownValidBodies>>((ref) =>
    this.members.delete(ref),
  );

  constructor(readonly limit: number) {}

  /** Characters held by the memos now. */
  get chars(): number {
    return this.used;
  }

  join(memo: KnownValidBodies): void {
    const ref = new WeakRef(memo);
    this.members.add(ref);
    this.collected.register(memo, ref);
  }

  /** Room for `size` more characters, emptying every memo first if they would not fit. */
  take(size: number): void {
    if (this.used + size > this.limit) {
      for (const ref of this.members) ref.deref()?.clear();
      this.used = 0;
    }
    this.used += size;
  }
}

const DEFAULT_CHARS = 32 * 1024 * 1024;

/**
 * The process-wide budget: 32 M characters, or MOCK_VALIDATION_MEMO_CHARS
 * (0 turns the memo off). A tuning knob, read here rather than in the
 * config because only memory tests need it: a small budget fills in seconds.
 */
function processBudget(): MemoBudget {
  const raw = process.env.MOCK_VALIDATION_MEMO_CHARS;
  if (raw === undefined || raw === '') return new MemoBudget(DEFAULT_CHARS);
  if (!/^\d+$/.test(raw.trim())) {
    process.emitWarning(
      `MOCK_VALIDATION_MEMO_CHARS must be a whole number of characters, got '${raw}'; using ${DEFAULT_CHARS}`,
    );
    return new MemoBudget(DEFAULT_CHARS);
  }
  return new MemoBudget(Number(raw));
}

export const validationMemoBudget = processBudget();

/**
 * Response bodies already found valid, per schema, by their exact bytes. A
 * body that serialises to bytes a client was already sent after a passing
 * check is the same JSON value, so the check is skipped: a repeated get or
 * list page costs one Set lookup instead of a full schema walk. Bounded by
 * a character budget shared with every other memo of the process.
 */
export class KnownValidBodies {
  private readonly bySchema = new Map<string, Set<string>>();

  constructor(
    private readonly budget: MemoBudget = validationMemoBudget,
    private readonly largestChars = 4 * 1024 * 1024,
  ) {
    budget.join(this);
  }

  has(schema: string, text: string): boolean {
    return this.bySchema.get(schema)?.has(text) ?? false;
  }

  add(schema: string, text: string): void {
    if (text.length > this.largestChars || text.length > this.budget.limit) return;
    if (this.has(schema, text)) return;
    this.budget.take(text.length);
    let known = this.bySchema.get(schema);
    if (!known) this.bySchema.set(schema, (known = new Set()));
    known.add(text);
  }

  clear(): void {
    this.bySchema.clear();
  }
}
