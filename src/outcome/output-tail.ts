/** The last `maxBytes` of a stream, kept as raw chunks and decoded only when asked: cheap on heavy output. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    // Drop whole chunks while what is left still covers the tail.
    while (this.chunks.length > 1 && this.bytes - this.chunks[0].length >= this.maxBytes) {
      this.bytes -= this.chunks.shift()!.length;
    }
  }

  /** The tail as text (a character cut at the start shows as U+FFFD). */
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.maxBytes)).toString('utf8');
  }
}
