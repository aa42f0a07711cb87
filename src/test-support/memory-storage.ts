/** An in-memory Storage (localStorage's interface) that counts writes, for code that persists settings. */
export class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  writes = 0;

  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.writes++;
    this.items.set(key, String(value));
  }
}
